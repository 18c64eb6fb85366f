using System.CommandLine;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Files;
using DeviceAgent.Pki.Inspection;
using DeviceAgent.Pki.Requests;
using Factory.Cli;
using Factory.Output;

namespace Factory.Commands.Ca;

/// <summary>A CA certificate issued for a request made elsewhere (<c>--json</c> of <c>ca sign-request</c>).</summary>
internal sealed record SignRequestResult(bool Ok, string Issuer, string Out, int? PathLength, CertificateDetails Certificate);

/// <summary>
/// <c>bringup ca sign-request</c> (cert-renewal): a CA certificate for a key that stays where it was
/// made, such as an issuer of the provisioning endpoint (<c>provisioning-endpoint issuer create-request</c>):
/// the request's self-signature and key are checked (RFC 2986), its subject is used, the CA profile
/// and the path length rules of every CA above apply (RFC 5280 4.2.1.9).
/// </summary>
internal static class SignRequestCommand
{
    public static Command Build()
    {
        var csr = new Option<string>("--csr") { Description = "the request, PEM or DER", Required = true, HelpName = "FILE" };
        var issuer = new Option<string>("--issuer") { Description = "the CA of the store that signs it", Required = true, HelpName = "NAME" };
        var output = new Option<string>("--out") { Description = "where to write the CA certificate (PEM)", Required = true, HelpName = "FILE" };
        var days = new Option<int>("--days") { Description = "validity in days (cut to the issuer's end of validity)", DefaultValueFactory = _ => 1825, HelpName = "N" };
        var pathLength = new Option<int?>("--path-length")
        {
            Description = "pathLenConstraint of the new CA; 0 (the default) for a CA that issues devices only",
            DefaultValueFactory = _ => 0,
            HelpName = "N",
        };
        var caDir = CommandRunner.CaDirectoryOption();
        var json = CommandRunner.JsonOption();
        var command = new Command("sign-request",
            "issue a CA certificate for a certification request whose key stays where it was made (an endpoint's issuer: " +
            "'provisioning-endpoint issuer create-request'); the request's signature and key are checked, its subject becomes the CA's. " + ExitCodes.Help)
        {
            csr, issuer, output, days, pathLength, caDir, json,
        };
        CommandRunner.SetAction(command, json, "ca sign-request", (parse, reporter, _) =>
        {
            var request = CertificationRequest.Load(parse.GetRequiredValue(csr));
            var validity = OptionValues.Days(parse, days);
            var constraint = OptionValues.PathLength(parse, pathLength);
            var path = Path.GetFullPath(parse.GetRequiredValue(output));
            using var ca = CertificateAuthority.Open(new CaStore(parse.GetRequiredValue(caDir)), CaName.From(parse, issuer), FactoryKeys.ForCas());
            using var issued = ca.IssueCa(request.Subject, request.PublicKey, constraint, validity);
            AtomicFile.Write(path, issued.ToPem());
            var details = CertificateDetails.Of(issued.Certificate);
            reporter.Result(new SignRequestResult(true, ca.Name, path, constraint, details), FactoryJson.Default.SignRequestResult);
            reporter.Line($"wrote the CA certificate for {details.Subject} to {path}");
            reporter.Field("issuer", $"{details.Issuer} (CA '{ca.Name}', key {ca.Entry.Key})");
            reporter.Field("path length", constraint?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
            if (issued.ValidityClamped)
                Reporter.Note($"its validity was cut to the end of CA '{ca.Name}''s");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
