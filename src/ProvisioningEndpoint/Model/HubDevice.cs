namespace ProvisioningEndpoint.Model;

/// <summary>Whether a hub lets a device connect (IoT Hub device <c>status</c>).</summary>
public enum HubDeviceStatus
{
    /// <summary>The device may connect.</summary>
    Enabled,
    /// <summary>The device is refused, and disconnected if connected.</summary>
    Disabled,
}

/// <summary>
/// A device in a hub's identity registry, with X.509 thumbprint authentication bound to the leaf
/// that registered (as DPS does): a device with a new leaf must provision again.
/// </summary>
/// <param name="Hub">The hub's name.</param>
/// <param name="DeviceId">The device id.</param>
/// <param name="Status">Enabled or disabled.</param>
/// <param name="PrimaryThumbprint">SHA-1 thumbprint of the accepted leaf.</param>
/// <param name="TwinJson">The twin document: <c>{"tags":{},"properties":{"desired":{},"reported":{}}}</c>.</param>
/// <param name="Etag">Changes with every update.</param>
/// <param name="CreatedUtc">Creation time.</param>
/// <param name="UpdatedUtc">Last change.</param>
/// <param name="SecondaryThumbprint">cert-renewal: the leaf being retired after a renewal, accepted until the device connects with the primary.</param>
public sealed record HubDevice(
    string Hub,
    string DeviceId,
    HubDeviceStatus Status,
    string PrimaryThumbprint,
    string TwinJson,
    string Etag,
    DateTimeOffset CreatedUtc,
    DateTimeOffset UpdatedUtc,
    string? SecondaryThumbprint = null);

/// <summary>A telemetry message a device sent to its hub.</summary>
/// <param name="Hub">The hub.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="ReceivedUtc">When the hub received it.</param>
/// <param name="Properties">The topic's property bag (<c>devices/{id}/messages/events/{properties}</c>).</param>
/// <param name="Body">The message body.</param>
public sealed record TelemetryMessage(string Hub, string DeviceId, DateTimeOffset ReceivedUtc, string Properties, byte[] Body);
