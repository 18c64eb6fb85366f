using DeviceAgent.Provisioning.Wire;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Registration;

// TPM attestation (HTTPS only) and the HTTPS poll's proof of the device.
public sealed partial class RegistrationService
{
    private Task<DpsResponse> RegisterTpmAsync(string registrationId, DeviceRegistrationRequest request, DeviceCredentials credentials,
        CancellationToken cancellationToken)
    {
        _ = registrationId;
        _ = request;
        _ = cancellationToken;
        var now = clock.GetUtcNow();
        if (!credentials.Https)
            return Task.FromResult(DpsResponse.Error(DpsErrorCodes.BadRequest, "TPM attestation is served over HTTPS only, as DPS does; use the HTTPS device API", now));
        return Task.FromResult(DpsResponse.Error(DpsErrorCodes.Unauthorized, "TPM attestation is not served by this build", now));
    }

    // Null when the request proves the device of the record; else why not.
    private static Task<string?> RefusePollAsync(RegistrationRecord record, DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        if (record.CertificateThumbprint is { Length: > 0 } thumbprint)
        {
            if (credentials.Chain is null)
                return Task.FromResult<string?>($"registration '{record.RegistrationId}' is X.509-attested: present its device certificate");
            if (!string.Equals(credentials.Chain.Leaf.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
                return Task.FromResult<string?>($"the presented certificate is not the one that registered '{record.RegistrationId}'");
            return Task.FromResult<string?>(null);
        }
        return Task.FromResult<string?>($"registration '{record.RegistrationId}' cannot be polled without its credentials");
    }
}
