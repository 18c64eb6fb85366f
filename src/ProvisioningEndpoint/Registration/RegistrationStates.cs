using DeviceAgent.Provisioning.Wire;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Registration;

/// <summary>
/// A registration record as DPS shows it, to the device (operation status) and to the service
/// API (device registration state): <c>assignedHub</c> as devices receive it, the group that
/// decided under <c>x509.enrollmentGroupId</c>.
/// </summary>
internal static class RegistrationStates
{
    /// <summary>The record on the wire.</summary>
    /// <param name="record">The record.</param>
    /// <param name="hubs">The hubs (for assignedHub).</param>
    /// <param name="tpmAuthenticationKey">A TPM device's hub key blob: shown as <c>tpm.authenticationKey</c> instead of <c>x509</c>.</param>
    public static DeviceRegistrationState ToWire(RegistrationRecord record, IReadOnlyList<HubDefinition> hubs, string? tpmAuthenticationKey = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new DeviceRegistrationState
        {
            X509 = tpmAuthenticationKey is not null ? null
                : record.EnrollmentKind == EnrollmentKind.Group ? new X509RegistrationResult { EnrollmentGroupId = record.EnrollmentId } : new X509RegistrationResult(),
            Tpm = tpmAuthenticationKey is null ? null : new TpmRegistrationResult { AuthenticationKey = tpmAuthenticationKey },
            RegistrationId = record.RegistrationId,
            CreatedDateTimeUtc = record.CreatedUtc,
            AssignedHub = record.AssignedHub is { } hub ? hubs.FirstOrDefault(h => h.Name == hub)?.AssignedHub ?? hub : null,
            DeviceId = record.DeviceId,
            Status = record.Status,
            Substatus = record.Substatus,
            ErrorCode = record.ErrorCode,
            ErrorMessage = record.ErrorMessage,
            LastUpdatedDateTimeUtc = record.UpdatedUtc,
            Etag = record.Etag,
            IssuedCertificateChain = record.IssuedCertificateChain?.Split(' ').ToList(), // cert-renewal
        };
    }
}
