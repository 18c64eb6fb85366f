using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// IoT Hub's two device credentials, chosen by what the registry holds for the device: a
/// symmetric key (the devices DPS provisioned by TPM attestation) is checked as a SAS token in
/// the MQTT password (<see cref="HubSasAuthenticator"/>); otherwise the TLS leaf must have the
/// registered X.509 thumbprint (<see cref="X509ThumbprintAuthenticator"/>). A device never chooses
/// its own method: a TPM device cannot fall back to a certificate, nor an X.509 device to a token.
/// </summary>
public sealed class RegistryCredentialAuthenticator(IProvisioningStore store, EndpointConfiguration configuration,
    HubSasAuthenticator sas, X509ThumbprintAuthenticator x509) : IHubDeviceAuthenticator
{
    /// <inheritdoc />
    public async ValueTask<string?> AuthenticateAsync(HubDevice device, HubCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(credentials);
        if (await store.GetHubDeviceKeyAsync(device.Hub, device.DeviceId, cancellationToken).ConfigureAwait(false) is not { } key)
            return await x509.AuthenticateAsync(device, credentials, cancellationToken).ConfigureAwait(false);
        var hub = configuration.Hubs.FirstOrDefault(h => string.Equals(h.Name, device.Hub, StringComparison.Ordinal));
        return hub is null
            ? $"device '{device.DeviceId}' belongs to hub '{device.Hub}', which this endpoint does not serve"
            : sas.Refuse(hub, device.DeviceId, key, credentials.Password.Length == 0 ? null : credentials.Password);
    }
}
