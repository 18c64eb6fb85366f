using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Authority;
using Factory.Cli;
using Factory.Commands.Entries;
using Factory.Endpoint;

namespace Factory.Commands.EnrollmentGroup;

/// <summary><c>bringup enrollment-group create</c>: an enrollment group bound to a CA of the store or a certificate file.</summary>
internal static class CreateCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Group);
        var ca = new Option<string?>("--ca") { Description = "bind the group to this CA of the store (root or intermediate)", HelpName = "NAME" };
        var certificate = new Option<string?>("--cert") { Description = "bind the group to this signing certificate (PEM or DER)", HelpName = "FILE" };
        var disabled = EntryOptions.Disabled("to block the devices under its certificate");
        var caDir = CommandRunner.CaDirectoryOption();
        var endpoint = new EndpointOptions();
        var issuance = new IssuanceOptions(); // cert-renewal
        var json = CommandRunner.JsonOption();
        var command = new Command("create",
            "create an enrollment group for every device whose chain holds a signing certificate (--ca NAME of the store, or --cert FILE). " +
            "The service refuses a certificate that is not verified and does not roll up to a verified one: run 'bringup ca upload' and " +
            "'bringup ca verify' first. Rerunning with the same certificate and status does nothing. " + ExitCodes.Help)
        {
            id, ca, certificate, disabled, caDir,
        };
        endpoint.AddTo(command);
        issuance.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment-group create", async (parse, reporter, cancellationToken) =>
        {
            var groupId = parse.GetRequiredValue(id);
            using var signing = SigningCertificate(parse, ca, certificate, caDir);
            var status = parse.GetValue(disabled) ? "disabled" : "enabled";
            var policy = issuance.Resolve(parse);
            using var client = endpoint.Connect(parse);
            var existing = await client.GetEnrollmentGroupAsync(groupId, cancellationToken);
            if (existing is not null)
            {
                if (!string.Equals(existing.CertificateInfo?.Sha1Thumbprint, signing.Thumbprint, StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(existing.ProvisioningStatus, status, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ProvisioningServiceException("endpoint.conflict", 409,
                        $"enrollment group '{groupId}' exists with {(existing.CertificateInfo?.SubjectName is { } subject ? $"signing certificate \"{subject}\"" : "another binding")}, {existing.ProvisioningStatus}",
                        "use 'bringup enrollment-group enable' or 'disable' to change its status, or delete it first");
                }
                EntryReport.Print(reporter, EntryKind.Group, groupId, "already-exists", $"enrollment group '{groupId}' exists already", existing);
                return ExitCodes.Success;
            }
            var group = new EnrollmentResource
            {
                EnrollmentGroupId = groupId,
                Attestation = new AttestationMechanism
                {
                    Type = "x509",
                    X509 = new X509Attestation { SigningCertificates = new X509Certificates { Primary = new X509CertificateWithInfo { Certificate = signing.ExportCertificatePem() } } },
                },
                ProvisioningStatus = status,
                ClientCertificateIssuancePolicy = policy,
            };
            EnrollmentResource created;
            try
            {
                created = await client.PutEnrollmentGroupAsync(group, null, cancellationToken);
            }
            catch (ProvisioningServiceException e) when (e.Status == 400 && e.Message.Contains("not verified", StringComparison.Ordinal))
            {
                throw new ProvisioningServiceException(e.Kind, e.Status, e.Message,
                    "prove possession of the CA first: bringup ca upload --ca NAME, then bringup ca verify --ca NAME", e);
            }
            EntryReport.Print(reporter, EntryKind.Group, groupId, "created", $"created enrollment group '{groupId}' ({status})", created);
            return ExitCodes.Success;
        });
        return command;
    }

    private static X509Certificate2 SigningCertificate(ParseResult parse, Option<string?> ca, Option<string?> certificate, Option<string> caDir)
    {
        var name = parse.GetValue(ca);
        var file = parse.GetValue(certificate);
        if ((name is null) == (file is null))
            throw new UsageException("name the group's signing certificate with --ca NAME (a CA of the store) or --cert FILE, one of them");
        if (file is not null)
            return EntryOptions.Certificate(parse, certificate, deviceCertificate: false);
        using var entry = new CaStore(parse.GetRequiredValue(caDir)).Get(name!);
        return X509CertificateLoader.LoadCertificate(entry.Certificate.RawData);
    }
}
