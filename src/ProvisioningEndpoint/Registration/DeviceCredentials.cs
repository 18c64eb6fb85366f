using ProvisioningEndpoint.Attestation;

namespace ProvisioningEndpoint.Registration;

/// <summary>
/// What a device proved on an HTTPS request: the certificates it presented in the TLS handshake
/// (X.509 attestation), and its Authorization header (a TPM device's registration SAS).
/// </summary>
/// <param name="Chain">The presented chain; null when the device sent no certificate.</param>
/// <param name="Authorization">The Authorization header; empty when absent.</param>
/// <param name="Https">False for the MQTT device endpoint (which DPS does not serve TPM attestation on).</param>
public sealed record DeviceCredentials(PresentedChain? Chain, string? Authorization, bool Https = true)
{
    /// <summary>True when an Authorization header was sent.</summary>
    public bool HasAuthorization => !string.IsNullOrWhiteSpace(Authorization);
}
