using ProvisioningEndpoint.Attestation;

namespace ProvisioningEndpoint.Hub;

/// <summary>What a device presented when it connected to a hub.</summary>
/// <param name="DeviceId">The device id of its user name (equal to its client id).</param>
/// <param name="UserName">The MQTT user name.</param>
/// <param name="Password">The MQTT password (a SAS token for SAS devices); empty when none was sent.</param>
/// <param name="Chain">The certificates its TLS handshake presented; null when it presented none.</param>
public sealed record HubCredentials(string DeviceId, string UserName, ReadOnlyMemory<byte> Password, PresentedChain? Chain);
