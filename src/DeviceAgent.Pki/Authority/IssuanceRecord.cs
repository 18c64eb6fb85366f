namespace DeviceAgent.Pki.Authority;

/// <summary>One line of a CA's issuance log: one certificate the CA's key signed.</summary>
/// <param name="Time">When it was signed (UTC).</param>
/// <param name="Kind">What it is.</param>
/// <param name="Serial">The serial number, upper-case hex without leading zeros (as <c>openssl x509 -serial</c> prints it).</param>
/// <param name="Subject">The subject distinguished name.</param>
/// <param name="RegistrationId">For a device certificate, the registration id (its subject CN).</param>
/// <param name="Thumbprint">SHA-1 of the DER, upper-case hex: the thumbprint DPS and IoT Hub show.</param>
/// <param name="Sha256Thumbprint">SHA-256 of the DER, upper-case hex.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Output">For a device certificate, the absolute directory its chain was written to; how an interrupted run is told from a duplicate.</param>
/// <param name="KeyAttestation">For a device certificate whose key was attested (a TPM key), how; null otherwise.</param>
public sealed record IssuanceRecord(
    DateTimeOffset Time,
    IssuanceKind Kind,
    string Serial,
    string Subject,
    string? RegistrationId,
    string Thumbprint,
    string Sha256Thumbprint,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string? Output,
    KeyAttestationRecord? KeyAttestation = null);
