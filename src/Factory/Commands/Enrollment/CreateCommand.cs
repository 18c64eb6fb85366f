using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Factory.Cli;
using Factory.Commands.Entries;
using Factory.Endpoint;

namespace Factory.Commands.Enrollment;

/// <summary>
/// <c>bringup enrollment create</c>: an individual enrollment for one device certificate (created
/// disabled, it blocks that device of a group: DPS's way to unprovision one device of a group), or
/// for one TPM's endorsement key (DPS TPM attestation, <c>--endorsement-key</c>).
/// </summary>
internal static class CreateCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Individual);
        var certificate = new Option<string?>("--cert") { Description = "the device certificate (PEM, the leaf first, or DER); its CN must be the registration id", HelpName = "FILE" };
        var endorsementKey = new Option<string?>("--endorsement-key") { Description = "TPM attestation instead: the TPM's endorsement key as the TPM2B_PUBLIC that 'tpm2_createek -u' writes (or its base64; 'deviceagent tpm info' prints it)", HelpName = "FILE" };
        var disabled = EntryOptions.Disabled("blocks this one device, even when a group of its chain is enabled");
        var endpoint = new EndpointOptions();
        var issuance = new IssuanceOptions(); // cert-renewal
        var json = CommandRunner.JsonOption();
        var command = new Command("create",
            "create an individual enrollment for one device certificate. It decides before any group: enabled, the device provisions " +
            "through it; --disabled, the device is refused (keep it: deleting it lets the device enroll through its group again). " +
            "Rerunning with the same certificate and status does nothing. " + ExitCodes.Help)
        {
            id, certificate, endorsementKey, disabled,
        };
        endpoint.AddTo(command);
        issuance.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment create", async (parse, reporter, cancellationToken) =>
        {
            var registrationId = EntryOptions.RegistrationId(parse, id);
            var status = parse.GetValue(disabled) ? "disabled" : "enabled";
            if ((parse.GetValue(certificate) is null) == (parse.GetValue(endorsementKey) is null))
                throw new UsageException("give one of --cert FILE (X.509 attestation) or --endorsement-key FILE (TPM attestation)", "see 'bringup enrollment create --help'");
            if (parse.GetValue(endorsementKey) is { } ekFile)
                return await TpmEnrollment.CreateAsync(endpoint, parse, reporter, registrationId, EndorsementKeyFile.Read(ekFile), status, cancellationToken);
            using var leaf = EntryOptions.Certificate(parse, certificate, deviceCertificate: true);
            var commonName = leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!string.Equals(commonName, registrationId, StringComparison.Ordinal))
            {
                throw new UsageException($"--cert has subject CN '{commonName}', not the registration id '{registrationId}'",
                    "an individual enrollment's device certificate has CN = its registration id (DPS X.509 attestation)");
            }
            var policy = issuance.Resolve(parse);
            using var client = endpoint.Connect(parse);
            var existing = await client.GetIndividualEnrollmentAsync(registrationId, cancellationToken);
            if (existing is not null)
            {
                if (!string.Equals(existing.CertificateInfo?.Sha1Thumbprint, leaf.Thumbprint, StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(existing.ProvisioningStatus, status, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ProvisioningServiceException("endpoint.conflict", 409,
                        $"individual enrollment '{registrationId}' exists with certificate {existing.CertificateInfo?.Sha1Thumbprint}, {existing.ProvisioningStatus}",
                        "use 'bringup enrollment enable' or 'disable' to change its status, or delete it first");
                }
                EntryReport.Print(reporter, EntryKind.Individual, registrationId, "already-exists", $"individual enrollment '{registrationId}' exists already", existing);
                return ExitCodes.Success;
            }
            var enrollment = new EnrollmentResource
            {
                RegistrationId = registrationId,
                Attestation = new AttestationMechanism
                {
                    Type = "x509",
                    X509 = new X509Attestation { ClientCertificates = new X509Certificates { Primary = new X509CertificateWithInfo { Certificate = leaf.ExportCertificatePem() } } },
                },
                ProvisioningStatus = status,
                ClientCertificateIssuancePolicy = policy,
            };
            var created = await client.PutIndividualEnrollmentAsync(enrollment, null, cancellationToken);
            EntryReport.Print(reporter, EntryKind.Individual, registrationId, "created", $"created individual enrollment '{registrationId}' ({status})", created);
            return ExitCodes.Success;
        });
        return command;
    }
}
