using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Attestation;

/// <summary>
/// What a TPM gave to attest one of its keys: the EK certificate from NV and the EK's public area,
/// the attestation key's public area, the device key's public area (TPMT_PUBLIC, as ReadPublic
/// returned it: its Name is computed from it, not taken from the TPM), and the TPM2_Certify output
/// (TPMS_ATTEST and the attestation key's signature over it) for the verifier's nonce.
/// </summary>
/// <param name="EkCertificateIndex">The NV index the EK certificate was read from.</param>
/// <param name="EkCertificate">The EK certificate (DER).</param>
/// <param name="EndorsementKey">The EK's public area.</param>
/// <param name="AttestationKey">The attestation key's public area.</param>
/// <param name="CertifiedKey">The device key's public area.</param>
/// <param name="Nonce">The qualifyingData the verifier chose (TPMS_ATTEST.extraData must echo it).</param>
/// <param name="CertifyInfo">The TPMS_ATTEST, as signed.</param>
/// <param name="Signature">The attestation key's signature over <paramref name="CertifyInfo"/>.</param>
public sealed record KeyCertificationEvidence(
    uint EkCertificateIndex,
    ReadOnlyMemory<byte> EkCertificate,
    TpmtPublic EndorsementKey,
    TpmtPublic AttestationKey,
    TpmtPublic CertifiedKey,
    ReadOnlyMemory<byte> Nonce,
    ReadOnlyMemory<byte> CertifyInfo,
    TpmtSignature Signature);
