namespace DeviceAgent.Tpm.Constants;

/// <summary>TPM_ALG_ID (TPM 2.0 Part 2 6.3; values from the TCG Algorithm Registry).</summary>
#pragma warning disable CA1028 // The wire type is UINT16.
public enum TpmAlgId : ushort
#pragma warning restore CA1028
{
    /// <summary>TPM_ALG_ERROR.</summary>
    Error = 0x0000,
    /// <summary>TPM_ALG_RSA.</summary>
    Rsa = 0x0001,
    /// <summary>TPM_ALG_SHA1.</summary>
    Sha1 = 0x0004,
    /// <summary>TPM_ALG_HMAC.</summary>
    Hmac = 0x0005,
    /// <summary>TPM_ALG_AES.</summary>
    Aes = 0x0006,
    /// <summary>TPM_ALG_MGF1.</summary>
    Mgf1 = 0x0007,
    /// <summary>TPM_ALG_KEYEDHASH.</summary>
    KeyedHash = 0x0008,
    /// <summary>TPM_ALG_XOR.</summary>
    Xor = 0x000A,
    /// <summary>TPM_ALG_SHA256.</summary>
    Sha256 = 0x000B,
    /// <summary>TPM_ALG_SHA384.</summary>
    Sha384 = 0x000C,
    /// <summary>TPM_ALG_SHA512.</summary>
    Sha512 = 0x000D,
    /// <summary>TPM_ALG_NULL.</summary>
    Null = 0x0010,
    /// <summary>TPM_ALG_RSASSA (PKCS#1 v1.5 signatures).</summary>
    RsaSsa = 0x0014,
    /// <summary>TPM_ALG_RSAES (PKCS#1 v1.5 encryption).</summary>
    RsaEs = 0x0015,
    /// <summary>TPM_ALG_RSAPSS.</summary>
    RsaPss = 0x0016,
    /// <summary>TPM_ALG_OAEP.</summary>
    Oaep = 0x0017,
    /// <summary>TPM_ALG_ECDSA.</summary>
    EcDsa = 0x0018,
    /// <summary>TPM_ALG_ECDH.</summary>
    EcDh = 0x0019,
    /// <summary>TPM_ALG_ECDAA.</summary>
    EcDaa = 0x001A,
    /// <summary>TPM_ALG_ECSCHNORR.</summary>
    EcSchnorr = 0x001C,
    /// <summary>TPM_ALG_KDF1_SP800_56A.</summary>
    Kdf1Sp800_56A = 0x0020,
    /// <summary>TPM_ALG_KDF1_SP800_108.</summary>
    Kdf1Sp800_108 = 0x0022,
    /// <summary>TPM_ALG_ECC.</summary>
    Ecc = 0x0023,
    /// <summary>TPM_ALG_SYMCIPHER.</summary>
    SymCipher = 0x0025,
    /// <summary>TPM_ALG_CTR.</summary>
    Ctr = 0x0040,
    /// <summary>TPM_ALG_OFB.</summary>
    Ofb = 0x0041,
    /// <summary>TPM_ALG_CBC.</summary>
    Cbc = 0x0042,
    /// <summary>TPM_ALG_CFB.</summary>
    Cfb = 0x0043,
    /// <summary>TPM_ALG_ECB.</summary>
    Ecb = 0x0044,
}
