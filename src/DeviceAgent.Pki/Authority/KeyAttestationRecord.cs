namespace DeviceAgent.Pki.Authority;

/// <summary>
/// How a device certificate's key was attested before it was issued, as the issuance log records
/// it (JSON <c>keyAttestation</c>; absent for a key that was not attested: a PKCS#11 token key,
/// whose custody its attributes show, or a request made elsewhere).
/// </summary>
/// <param name="Status"><see cref="Verified"/>, or <see cref="Skipped"/> when the operator turned attestation off.</param>
/// <param name="Method">What proved it, e.g. "tpm2-certify": TPM2_Certify by an endorsement-hierarchy attestation key.</param>
/// <param name="Reason">For a skipped attestation, why (the option that turned it off).</param>
/// <param name="EkCertificateIndex">The NV index of the EK certificate, e.g. "0x01C00002".</param>
/// <param name="EkCertificateSubject">The EK certificate's subject.</param>
/// <param name="EkCertificateIssuer">The EK certificate's issuer.</param>
/// <param name="EkCertificateSha256">SHA-256 of the EK certificate, upper-case hex.</param>
/// <param name="TrustAnchor">The manufacturer root the EK certificate chains to.</param>
/// <param name="AttestationKeyName">The attestation key's TPM Name, hex.</param>
/// <param name="CertifiedName">The device key's TPM Name as certified, hex.</param>
/// <param name="KeyAttributes">The device key's TPMA_OBJECT, e.g. "0x00040072 (FixedTpm, FixedParent, ...)".</param>
public sealed record KeyAttestationRecord(
    string Status,
    string Method,
    string? Reason = null,
    string? EkCertificateIndex = null,
    string? EkCertificateSubject = null,
    string? EkCertificateIssuer = null,
    string? EkCertificateSha256 = null,
    string? TrustAnchor = null,
    string? AttestationKeyName = null,
    string? CertifiedName = null,
    string? KeyAttributes = null)
{
    /// <summary>The key was attested.</summary>
    public const string Verified = "verified";

    /// <summary>The operator turned attestation off.</summary>
    public const string Skipped = "skipped";
}
