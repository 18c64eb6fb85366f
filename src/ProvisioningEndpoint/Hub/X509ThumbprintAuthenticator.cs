using ProvisioningEndpoint.Storage;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// IoT Hub's X.509 thumbprint authentication: the leaf the device presents in its TLS handshake
/// must be the one its registry entry is bound to (the leaf that registered through DPS), or,
/// while a renewal rolls over, the retiring secondary (<see cref="Issuance.CredentialRollover"/>:
/// the first connection with the new leaf retires the old one).
/// </summary>
public sealed class X509ThumbprintAuthenticator(IProvisioningStore store, TimeProvider clock) : IHubDeviceAuthenticator
{
    /// <inheritdoc />
    public async ValueTask<string?> AuthenticateAsync(HubDevice device, HubCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Chain is not { } chain)
            return $"device '{device.DeviceId}' presented no client certificate";
        return await Issuance.CredentialRollover.AcceptAsync(store, device, chain.Leaf.Thumbprint, clock, cancellationToken).ConfigureAwait(false)
            ? null
            : $"device '{device.DeviceId}' presented certificate {chain.Leaf.Thumbprint}, but the registry holds {device.PrimaryThumbprint}: provision again";
    }
}
