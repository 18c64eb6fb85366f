using System.Text.Json;

namespace DeviceAgent.Configuration;

/// <summary>The <c>provisioning</c> section of agent.json: which DPS, which ID scope, who this device is.</summary>
public sealed class ProvisioningSettings
{
    /// <summary><c>provisioning.endpoint</c>: host or host:port (default the global DPS host, port 8883).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>provisioning.idScope</c>: the DPS instance's ID scope.</summary>
    public string? IdScope { get; set; }

    /// <summary><c>provisioning.registrationId</c>: the registration id; the leaf's CN when not set.</summary>
    public string? RegistrationId { get; set; }

    /// <summary><c>provisioning.trust</c>: PEM bundle the DPS server must chain to; the system store when not set.</summary>
    public string? Trust { get; set; }

    /// <summary><c>provisioning.payload</c>: custom JSON sent with the registration.</summary>
    public JsonElement? Payload { get; set; }
}

/// <summary>The <c>hub</c> section of agent.json.</summary>
public sealed class HubSettings
{
    /// <summary><c>hub.trust</c>: PEM bundle the hub must chain to; the system store when not set.</summary>
    public string? Trust { get; set; }

    /// <summary><c>hub.telemetryIntervalSeconds</c>: seconds between telemetry messages (default 60).</summary>
    public int TelemetryIntervalSeconds { get; set; } = 60;

    /// <summary><c>hub.keepAliveSeconds</c>: MQTT keep-alive with the hub (default 60).</summary>
    public int KeepAliveSeconds { get; set; } = 60;
}
