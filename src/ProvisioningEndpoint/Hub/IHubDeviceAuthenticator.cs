using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// Decides whether the credentials a device presented at CONNECT are those its registry entry
/// holds. The hub has checked the user name form, the client id, that the device exists and that
/// it is enabled; this checks only the credential (an X.509 thumbprint today, a SAS token next).
/// </summary>
public interface IHubDeviceAuthenticator
{
    /// <summary>Null when <paramref name="credentials"/> authenticate <paramref name="device"/>; otherwise why not (logged, never the secret itself).</summary>
    ValueTask<string?> AuthenticateAsync(HubDevice device, HubCredentials credentials, CancellationToken cancellationToken);
}
