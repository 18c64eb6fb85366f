using DeviceAgent.Keys;

namespace DeviceAgent.Doctor;

/// <summary>What doctor checks, resolved from --config or from the command line.</summary>
/// <param name="Key">The device key.</param>
/// <param name="ChainPath">The chain bundle.</param>
/// <param name="TrustPath">PEM bundle the probed server must chain to; null for the system store.</param>
/// <param name="TlsProbe">host:port to handshake with, or null for no probe.</param>
/// <param name="TlsProbeWait">How long to wait for a server's late refusal of the client certificate (TLS 1.3).</param>
/// <param name="SendLeafOnly">Send the leaf without its intermediates (diagnostic).</param>
/// <param name="AllowSoftwareKey">Accept a file: key.</param>
/// <param name="Agent">The whole agent configuration when --config was given: enables the DPS and hub checks.</param>
/// <param name="Tpm">The TPM a <c>tpm:</c> key lives in (identity.tpm or --tpm); null for the default device.</param>
/// <param name="TpmAttestation">provisioning.attestation is "tpm": the TPM and its EK/SRK are checked, the key, chain and mutual-TLS checks skipped.</param>
public sealed record DoctorSettings(
    KeyReference Key,
    string ChainPath,
    string? TrustPath,
    string? TlsProbe,
    TimeSpan TlsProbeWait,
    bool SendLeafOnly,
    bool AllowSoftwareKey,
    Configuration.AgentConfiguration? Agent = null,
    Tpm.Transport.TpmSpec? Tpm = null,
    bool TpmAttestation = false);
