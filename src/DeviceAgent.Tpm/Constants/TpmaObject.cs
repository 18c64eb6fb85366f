namespace DeviceAgent.Tpm.Constants;

/// <summary>TPMA_OBJECT, an object's attributes (TPM 2.0 Part 2 8.3).</summary>
[Flags]
#pragma warning disable CA1028 // The wire type is UINT32.
public enum TpmaObject : uint
#pragma warning restore CA1028
{
    /// <summary>No attribute.</summary>
    None = 0,
    /// <summary>fixedTPM: the object cannot be duplicated to another TPM (8.3.3.1.2).</summary>
    FixedTpm = 1u << 1,
    /// <summary>stClear: flushed (or made unloadable) at TPM Reset and Restart.</summary>
    StClear = 1u << 2,
    /// <summary>fixedParent: the object cannot be moved to another parent.</summary>
    FixedParent = 1u << 4,
    /// <summary>sensitiveDataOrigin: the TPM generated the sensitive part when it created the object.</summary>
    SensitiveDataOrigin = 1u << 5,
    /// <summary>userWithAuth: the USER role may be authorized with the auth value or an HMAC session.</summary>
    UserWithAuth = 1u << 6,
    /// <summary>adminWithPolicy: the ADMIN role needs a policy session.</summary>
    AdminWithPolicy = 1u << 7,
    /// <summary>noDA: not subject to dictionary-attack protection.</summary>
    NoDa = 1u << 10,
    /// <summary>encryptedDuplication: duplication needs an inner wrapper.</summary>
    EncryptedDuplication = 1u << 11,
    /// <summary>restricted: a key usable only with structures the TPM made (storage parents, attestation keys).</summary>
    Restricted = 1u << 16,
    /// <summary>decrypt: a decryption (or storage) key.</summary>
    Decrypt = 1u << 17,
    /// <summary>sign (sign/encrypt): a signing key.</summary>
    Sign = 1u << 18,
    /// <summary>x509sign: may sign only TPM2_CertifyX509 structures.</summary>
    X509Sign = 1u << 19,
}
