using System.CommandLine;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.ProofOfPossession;
using Factory.Cli;
using Factory.Endpoint;

namespace Factory.Commands.Ca;

/// <summary>
/// <c>bringup ca verify</c>: the whole proof of possession against the service, with the CA's key
/// wherever it lives: the certificate is uploaded when missing, a verification code generated,
/// a verification certificate (CN = the code) signed with the CA's key, uploaded, and verified.
/// </summary>
internal static class VerifyCommand
{
    public static Command Build()
    {
        var ca = new Option<string>("--ca") { Description = "the CA of the store to verify; its key (HSM, TPM or encrypted file) signs", Required = true, HelpName = "NAME" };
        var caDir = CommandRunner.CaDirectoryOption();
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("verify",
            "prove possession of a CA's private key to the provisioning service so that its certificate becomes Verified: upload it when " +
            "missing, generate a verification code, sign a verification certificate (subject CN = the code) with the CA's key wherever it " +
            "lives, upload it and verify. A verified CA does nothing. " + ExitCodes.Help)
        {
            ca, caDir,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "ca verify", async (parse, reporter, cancellationToken) =>
        {
            using var authority = CertificateAuthority.Open(new CaStore(parse.GetRequiredValue(caDir)), CaName.From(parse, ca), FactoryKeys.ForCas());
            using var client = endpoint.Connect(parse);
            var (resource, uploaded) = await ServiceCertificates.EnsureUploadedAsync(client, authority.Name, authority.Certificate, cancellationToken);
            if (uploaded)
                Reporter.Note($"uploaded CA '{authority.Name}' to {client.HostName} first");
            if (resource.Properties?.IsVerified == true)
            {
                ServiceCertificates.Report(reporter, $"CA '{authority.Name}' is verified on {client.HostName} already", "already-verified", resource);
                return ExitCodes.Success;
            }

            var withCode = await client.GenerateVerificationCodeAsync(authority.Name, resource.Etag!, cancellationToken);
            VerificationCode code;
            try
            {
                code = VerificationCode.Parse(withCode.Properties?.VerificationCode);
            }
            catch (ArgumentException e)
            {
                throw new ProvisioningServiceException("endpoint.failed", 200, $"the service gave an unusable verification code: {e.Message}",
                    "check that the connection string names a DPS-compatible provisioning service", e);
            }
            using var issued = VerificationCertificates.Issue(authority, code);
            var verified = await client.VerifyCertificateAsync(authority.Name, withCode.Etag!, issued.Certificate.ExportCertificatePem(), cancellationToken);
            ServiceCertificates.Report(reporter,
                $"CA '{authority.Name}' is verified on {client.HostName}: its key ({authority.Entry.Key}) signed the verification certificate for code {code}",
                "verified", verified);
            return ExitCodes.Success;
        });
        return command;
    }
}
