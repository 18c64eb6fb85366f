using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm.Attestation;

/// <summary>What a successful key attestation established, for the issuance log and the operator.</summary>
/// <param name="EkCertificateIndex">The NV index of the EK certificate.</param>
/// <param name="EkCertificateSubject">The EK certificate's subject.</param>
/// <param name="EkCertificateIssuer">The EK certificate's issuer.</param>
/// <param name="EkCertificateSha256">SHA-256 of the EK certificate's DER, upper-case hex.</param>
/// <param name="TrustAnchor">The subject of the manufacturer CA certificate the EK certificate chains to.</param>
/// <param name="AttestationKeyName">The attestation key's Name, hex.</param>
/// <param name="CertifiedName">The device key's Name (nameAlg || H(TPMT_PUBLIC)) as certified, hex.</param>
/// <param name="Attributes">The device key's TPMA_OBJECT.</param>
public sealed record KeyAttestationResult(
    uint EkCertificateIndex,
    string EkCertificateSubject,
    string EkCertificateIssuer,
    string EkCertificateSha256,
    string TrustAnchor,
    string AttestationKeyName,
    string CertifiedName,
    TpmaObject Attributes);
