using System.Text.Json.Serialization;

namespace ProvisioningEndpoint.Rest.Wire;

// The hub registry as IoT Hub's service API (2021-04-12) spells it, plus local extensions
// (hub list, telemetry).

/// <summary>A device of a hub's identity registry.</summary>
internal sealed class HubDeviceWire
{
    public string? DeviceId { get; set; }

    public string? GenerationId { get; set; }

    public string? Etag { get; set; }

    /// <summary>enabled or disabled.</summary>
    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    public DateTimeOffset? StatusUpdatedTime { get; set; }

    public AuthenticationMechanismWire? Authentication { get; set; }

    public DeviceCapabilitiesWire? Capabilities { get; set; }
}

/// <summary>How the hub authenticates the device: <c>type</c> sas, selfSigned or certificateAuthority.</summary>
internal sealed class AuthenticationMechanismWire
{
    public SymmetricKeyWire? SymmetricKey { get; set; }

    public X509ThumbprintWire? X509Thumbprint { get; set; }

    public string? Type { get; set; }
}

/// <summary>Symmetric keys (not served: devices authenticate by X.509 thumbprint).</summary>
internal sealed class SymmetricKeyWire
{
    public string? PrimaryKey { get; set; }

    public string? SecondaryKey { get; set; }
}

/// <summary>SHA-1 thumbprints of the device certificates the hub accepts.</summary>
internal sealed class X509ThumbprintWire
{
    public string? PrimaryThumbprint { get; set; }

    public string? SecondaryThumbprint { get; set; }
}

/// <summary>A hub of this endpoint (GET /hubs, local extension).</summary>
internal sealed class HubWire
{
    public string? Name { get; set; }

    public string? HostName { get; set; }

    public int Port { get; set; }

    /// <summary>host[:port] as devices receive it in assignedHub.</summary>
    public string? AssignedHub { get; set; }

    public int? RegistryPort { get; set; }
}

/// <summary>A telemetry message a device sent (local extension).</summary>
internal sealed class TelemetryWire
{
    public DateTimeOffset ReceivedUtc { get; set; }

    /// <summary>The topic's property bag (<c>devices/{id}/messages/events/{properties}</c>), decoded.</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>The body, base64.</summary>
    public string? Body { get; set; }

    /// <summary>The body as text, when it is UTF-8.</summary>
    public string? Text { get; set; }
}

/// <summary>An IoT Hub error body: what the IoT Hub SDKs parse (<c>Message</c>: <c>ErrorCode:Name;text</c>), plus the DPS-style fields.</summary>
internal sealed class HubErrorWire
{
    [JsonPropertyName("Message")]
    public string? Message { get; set; }

    [JsonPropertyName("ExceptionMessage")]
    public string? ExceptionMessage { get; set; }

    public int ErrorCode { get; set; }

    public string? TrackingId { get; set; }

    public DateTimeOffset TimestampUtc { get; set; }
}
