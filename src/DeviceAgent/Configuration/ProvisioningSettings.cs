using System.Text.Json;

namespace DeviceAgent.Configuration;

/// <summary>The <c>provisioning</c> section of agent.json: which DPS, which ID scope, who this device is.</summary>
public sealed class ProvisioningSettings
{
    /// <summary>
    /// <c>provisioning.endpoint</c>: host or host:port (default the global DPS host; port 8883 for
    /// DPS over MQTT, 443 with <c>attestation: "tpm"</c>, which DPS serves over HTTPS only).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// <c>provisioning.attestation</c>: <c>"x509"</c> (the default: identity.key and identity.chain,
    /// mutual TLS) or <c>"tpm"</c> (DPS TPM attestation with the TPM identity.tpm names: the EK
    /// and SRK, the activation challenge, SAS tokens signed in the TPM; no key or chain needed).
    /// </summary>
    public string? Attestation { get; set; }

    /// <summary>True for <c>attestation: "tpm"</c>.</summary>
    public bool IsTpmAttestation => string.Equals(Attestation, "tpm", StringComparison.Ordinal);

    /// <summary><c>provisioning.idScope</c>: the DPS instance's ID scope.</summary>
    public string? IdScope { get; set; }

    /// <summary>
    /// <c>provisioning.registrationId</c>: the registration id; when not set, the leaf's CN (x509) or
    /// the id derived from the TPM's EK that <c>deviceagent tpm info</c> shows (tpm).
    /// </summary>
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

    /// <summary>
    /// <c>hub.sasTokenLifetimeSeconds</c> (TPM attestation): how long each hub SAS token is valid
    /// (default 3600); the agent reconnects with a fresh token at 80 % of it.
    /// </summary>
    public int SasTokenLifetimeSeconds { get; set; } = 3600;
}
