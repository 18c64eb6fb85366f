using System.CommandLine;
using DeviceAgent.Pki.Authority;
using Factory.Cli;

namespace Factory.Commands.Ca;

/// <summary><c>bringup ca create-root</c>: a self-signed root CA whose key is generated in a token or an encrypted file.</summary>
internal static class CreateRootCommand
{
    public static Command Build()
    {
        var name = new Option<string>("--name") { Description = "the CA's name in the store (its directory)", Required = true, HelpName = "NAME" };
        var subject = new Option<string>("--subject") { Description = "subject DN, e.g. \"CN=Contoso Root CA, O=Contoso\"", Required = true, HelpName = "DN" };
        var days = new Option<int>("--days") { Description = "validity in days", DefaultValueFactory = _ => 3650, HelpName = "N" };
        var pathLength = new Option<int?>("--path-length") { Description = "pathLenConstraint: how many intermediate CAs may follow it (default: unconstrained)", HelpName = "N" };
        var keyType = OptionValues.KeyTypeOption("CA");
        var key = new CaKeyOptions();
        var caDir = CommandRunner.CaDirectoryOption();
        var json = CommandRunner.JsonOption();
        var command = new Command("create-root",
            "create a self-signed root CA (RFC 5280 profile: basicConstraints critical cA=TRUE, keyUsage keyCertSign|cRLSign, SKI/AKI). " +
            "Its key is generated inside a PKCS#11 token (HSM, TPM) or kept as encrypted PKCS#8 in the store. Rerunning with the same " +
            "name and subject does nothing. " + ExitCodes.Help)
        {
            name, subject, days, pathLength, keyType,
        };
        key.AddTo(command);
        command.Options.Add(caDir);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "ca create-root", (parse, reporter, _) =>
        {
            var specification = new CaSpecification(CaName.From(parse, name), OptionValues.Subject(parse, subject), OptionValues.KeyType(parse, keyType),
                OptionValues.PathLength(parse, pathLength), OptionValues.Days(parse, days), key.Resolve(parse));
            using var creation = CaCreator.CreateRoot(new CaStore(parse.GetRequiredValue(caDir)), specification, FactoryKeys.ForCas());
            CaCreationReport.Print(reporter, "root CA", "created", creation);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
