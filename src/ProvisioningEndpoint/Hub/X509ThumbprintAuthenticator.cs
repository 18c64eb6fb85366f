using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// IoT Hub's X.509 thumbprint authentication: the leaf the device presents in its TLS handshake
/// must be the one its registry entry is bound to (the leaf that registered through DPS).
/// </summary>
public sealed class X509ThumbprintAuthenticator : IHubDeviceAuthenticator
{
    /// <inheritdoc />
    public ValueTask<string?> AuthenticateAsync(HubDevice device, HubCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Chain is not { } chain)
            return ValueTask.FromResult<string?>($"device '{device.DeviceId}' presented no client certificate");
        return ValueTask.FromResult(string.Equals(device.PrimaryThumbprint, chain.Leaf.Thumbprint, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"device '{device.DeviceId}' presented certificate {chain.Leaf.Thumbprint}, but the registry holds {device.PrimaryThumbprint}: provision again");
    }
}
