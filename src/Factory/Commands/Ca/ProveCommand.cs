using System.CommandLine;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Files;
using DeviceAgent.Pki.Inspection;
using DeviceAgent.Pki.ProofOfPossession;
using Factory.Cli;
using Factory.Output;

namespace Factory.Commands.Ca;

/// <summary><c>bringup ca prove</c>: the proof-of-possession verification certificate DPS asks for.</summary>
internal static class ProveCommand
{
    public static Command Build()
    {
        var ca = new Option<string>("--ca") { Description = "the CA to prove possession of (its key signs)", Required = true, HelpName = "NAME" };
        var code = new Option<string>("--code") { Description = "the verification code DPS generated for the CA certificate", Required = true, HelpName = "CODE" };
        var output = new Option<string>("--out") { Description = "where to write the verification certificate (PEM)", Required = true, HelpName = "FILE" };
        var hours = new Option<int>("--hours") { Description = "validity in hours (short: it is only uploaded once)", DefaultValueFactory = _ => 24 };
        var caDir = CommandRunner.CaDirectoryOption();
        var json = CommandRunner.JsonOption();
        var command = new Command("prove",
            "write the proof-of-possession verification certificate for a CA: subject CN = the verification code, issued and signed by the " +
            "CA's private key wherever it lives (HSM, TPM or encrypted file), valid for a short time. Upload it to DPS (portal: " +
            "Certificates > the CA > Verification Certificate) to mark the CA Verified. " + ExitCodes.Help)
        {
            ca, code, output, hours, caDir, json,
        };
        CommandRunner.SetAction(command, json, "ca prove", (parse, reporter, _) =>
        {
            VerificationCode verificationCode;
            try
            {
                verificationCode = VerificationCode.Parse(parse.GetRequiredValue(code));
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--code: {e.Message}", "copy the code from DPS: Certificates > the CA > Generate Verification Code", e);
            }
            var validity = TimeSpan.FromHours(parse.GetValue(hours));
            if (validity <= TimeSpan.Zero || validity > VerificationCertificates.MaximumValidity)
                throw new UsageException($"--hours {parse.GetValue(hours)} is out of range 1..{VerificationCertificates.MaximumValidity.TotalHours:0}");
            var path = Path.GetFullPath(parse.GetRequiredValue(output));

            using var authority = CertificateAuthority.Open(new CaStore(parse.GetRequiredValue(caDir)), CaName.From(parse, ca), FactoryKeys.ForCas());
            using var issued = VerificationCertificates.Issue(authority, verificationCode, validity);
            AtomicFile.Write(path, issued.Certificate.ExportCertificatePem() + "\n");
            var details = CertificateDetails.Of(issued.Certificate);
            reporter.Result(new ProveResult(true, authority.Name, verificationCode.Value, path, details), FactoryJson.Default.ProveResult);
            reporter.Line($"wrote the verification certificate for CA '{authority.Name}' to {path}");
            reporter.Field("subject", details.Subject);
            reporter.Field("issuer", $"{details.Issuer} (signed by the CA's key: {authority.Entry.Key})");
            reporter.Field("SHA-1", details.Thumbprint);
            reporter.Field("valid", TextFormat.Validity(details));
            reporter.Line("upload it to DPS (Certificates > the CA > Verification Certificate .pem or .cer file) and select Verify");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
