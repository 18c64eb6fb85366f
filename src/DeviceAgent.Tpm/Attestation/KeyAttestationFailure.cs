namespace DeviceAgent.Tpm.Attestation;

/// <summary>Why a TPM key attestation failed: each is a reason not to issue a device certificate.</summary>
public enum KeyAttestationFailure
{
    /// <summary>The TPM holds no EK certificate in NV (0x01C00002 RSA, 0x01C0000A ECC), or only one this verifier cannot use.</summary>
    NoEkCertificate,

    /// <summary>The EK certificate does not chain to the manufacturer CA (--ek-ca), or cannot be parsed.</summary>
    EkCertificateUntrusted,

    /// <summary>The EK certificate certifies another key than the TPM's EK.</summary>
    EkMismatch,

    /// <summary>The attestation key is not a restricted, non-duplicable signing key, or the TPM could not prove it holds it together with the EK (TPM2_ActivateCredential).</summary>
    AttestationKeyRejected,

    /// <summary>The TPMS_ATTEST is not one the TPM made (magic, type, nonce), or its signature does not verify with the attestation key.</summary>
    AttestationInvalid,

    /// <summary>The certified Name is not the nameAlg digest of the device key's public area.</summary>
    NameMismatch,

    /// <summary>The device key's attributes do not prove it was generated in this TPM and cannot leave it (fixedTPM, fixedParent, sensitiveDataOrigin).</summary>
    AttributesWrong,

    /// <summary>The attested key is not the key in the certification request.</summary>
    KeyMismatch,
}
