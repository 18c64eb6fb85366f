using System.CommandLine;
using DeviceAgent.Pki.Authority;
using Factory.Cli;

namespace Factory.Commands.Ca;

/// <summary><c>bringup ca create-intermediate</c>: a CA issued by a CA of the store, at any depth (root, factory, production line).</summary>
internal static class CreateIntermediateCommand
{
    public static Command Build()
    {
        var name = new Option<string>("--name") { Description = "the new CA's name in the store", Required = true, HelpName = "NAME" };
        var issuer = new Option<string>("--issuer") { Description = "the CA of the store that issues it", Required = true, HelpName = "NAME" };
        var subject = new Option<string>("--subject") { Description = "subject DN, e.g. \"CN=Contoso Line A CA, O=Contoso\"", Required = true, HelpName = "DN" };
        var days = new Option<int>("--days") { Description = "validity in days (cut to the issuer's end of validity)", DefaultValueFactory = _ => 1825, HelpName = "N" };
        var pathLength = new Option<int?>("--path-length")
        {
            Description = "pathLenConstraint: how many intermediate CAs may follow it; 0 (the default) for a CA that issues devices only",
            DefaultValueFactory = _ => 0,
            HelpName = "N",
        };
        var keyType = OptionValues.KeyTypeOption("CA");
        var key = new CaKeyOptions();
        var caDir = CommandRunner.CaDirectoryOption();
        var json = CommandRunner.JsonOption();
        var command = new Command("create-intermediate",
            "create an intermediate CA issued by a CA of the store (a factory CA under the root, a production-line CA under a factory CA). " +
            "Refused when a CA above would exceed its path length constraint, or the issuer has expired. Its key is generated inside a " +
            "PKCS#11 token or kept as encrypted PKCS#8. Rerunning with the same name, subject and issuer does nothing. " + ExitCodes.Help)
        {
            name, issuer, subject, days, pathLength, keyType,
        };
        key.AddTo(command);
        command.Options.Add(caDir);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "ca create-intermediate", (parse, reporter, _) =>
        {
            var specification = new CaSpecification(CaName.From(parse, name), OptionValues.Subject(parse, subject), OptionValues.KeyType(parse, keyType),
                OptionValues.PathLength(parse, pathLength), OptionValues.Days(parse, days), key.Resolve(parse));
            using var creation = CaCreator.CreateIntermediate(new CaStore(parse.GetRequiredValue(caDir)), specification,
                CaName.From(parse, issuer), FactoryKeys.ForCas());
            CaCreationReport.Print(reporter, "intermediate CA", "created", creation);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
