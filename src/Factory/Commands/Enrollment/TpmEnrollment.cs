using System.CommandLine;
using Factory.Cli;
using Factory.Commands.Entries;
using Factory.Endpoint;

namespace Factory.Commands.Enrollment;

/// <summary>
/// <c>bringup enrollment create --endorsement-key</c>: a TPM individual enrollment, sent as the
/// official service SDK sends it (<c>{"type": "tpm", "tpm": {"endorsementKey": base64}}</c>).
/// Rerunning with the same key and status does nothing; another key is a conflict.
/// </summary>
internal static class TpmEnrollment
{
    public static async Task<int> CreateAsync(EndpointOptions endpoint, ParseResult parse, Reporter reporter, string registrationId, byte[] endorsementKey,
        string status, CancellationToken cancellationToken)
    {
        var base64 = Convert.ToBase64String(endorsementKey);
        using var client = endpoint.Connect(parse);
        var existing = await client.GetIndividualEnrollmentAsync(registrationId, cancellationToken);
        if (existing is not null)
        {
            if (!string.Equals(existing.Attestation?.Tpm?.EndorsementKey, base64, StringComparison.Ordinal)
                || !string.Equals(existing.ProvisioningStatus, status, StringComparison.OrdinalIgnoreCase))
            {
                throw new ProvisioningServiceException("endpoint.conflict", 409,
                    $"individual enrollment '{registrationId}' exists with another attestation or status ({existing.Attestation?.Type}, {existing.ProvisioningStatus})",
                    "use 'bringup enrollment enable' or 'disable' to change its status, or delete it first");
            }
            EntryReport.Print(reporter, EntryKind.Individual, registrationId, "already-exists", $"individual enrollment '{registrationId}' exists already", existing);
            return ExitCodes.Success;
        }
        var enrollment = new EnrollmentResource
        {
            RegistrationId = registrationId,
            Attestation = new AttestationMechanism { Type = "tpm", Tpm = new TpmAttestation { EndorsementKey = base64 } },
            ProvisioningStatus = status,
        };
        var created = await client.PutIndividualEnrollmentAsync(enrollment, null, cancellationToken);
        EntryReport.Print(reporter, EntryKind.Individual, registrationId, "created", $"created TPM individual enrollment '{registrationId}' ({status})", created);
        return ExitCodes.Success;
    }
}
