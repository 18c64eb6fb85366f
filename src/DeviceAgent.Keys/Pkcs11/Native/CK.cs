namespace DeviceAgent.Keys.Pkcs11.Native;

// Constants of PKCS#11 v2.40 (OASIS, "PKCS #11 Cryptographic Token Interface Base
// Specification"), named as the specification spells them. CK_ULONG is `unsigned long`,
// which on Linux (LP64 and ILP32) is pointer-sized: nuint.

/// <summary>Object classes (CKO_*).</summary>
internal static class CKO
{
    public const nuint CKO_DATA = 0;
    public const nuint CKO_CERTIFICATE = 1;
    public const nuint CKO_PUBLIC_KEY = 2;
    public const nuint CKO_PRIVATE_KEY = 3;
    public const nuint CKO_SECRET_KEY = 4;
}

/// <summary>Key types (CKK_*).</summary>
internal static class CKK
{
    public const nuint CKK_RSA = 0;
    public const nuint CKK_EC = 3;
    public const nuint CKK_AES = 0x1F;
}

/// <summary>User types (CKU_*).</summary>
internal static class CKU
{
    public const nuint CKU_SO = 0;
    public const nuint CKU_USER = 1;
}

/// <summary>Flags (CKF_*) of slots, tokens, sessions and C_Initialize.</summary>
internal static class CKF
{
    // CK_SLOT_INFO.flags
    public const nuint CKF_TOKEN_PRESENT = 0x1;
    public const nuint CKF_REMOVABLE_DEVICE = 0x2;
    public const nuint CKF_HW_SLOT = 0x4;

    // CK_TOKEN_INFO.flags
    public const nuint CKF_RNG = 0x1;
    public const nuint CKF_WRITE_PROTECTED = 0x2;
    public const nuint CKF_LOGIN_REQUIRED = 0x4;
    public const nuint CKF_USER_PIN_INITIALIZED = 0x8;
    public const nuint CKF_TOKEN_INITIALIZED = 0x400;
    public const nuint CKF_USER_PIN_COUNT_LOW = 0x10000;
    public const nuint CKF_USER_PIN_FINAL_TRY = 0x20000;
    public const nuint CKF_USER_PIN_LOCKED = 0x40000;

    // CK_SESSION_INFO.flags / C_OpenSession
    public const nuint CKF_RW_SESSION = 0x2;
    public const nuint CKF_SERIAL_SESSION = 0x4;

    // CK_C_INITIALIZE_ARGS.flags
    public const nuint CKF_OS_LOCKING_OK = 0x2;
}

/// <summary>Attribute types (CKA_*).</summary>
internal static class CKA
{
    public const nuint CKA_CLASS = 0x0;
    public const nuint CKA_TOKEN = 0x1;
    public const nuint CKA_PRIVATE = 0x2;
    public const nuint CKA_LABEL = 0x3;
    public const nuint CKA_VALUE = 0x11;
    public const nuint CKA_KEY_TYPE = 0x100;
    public const nuint CKA_ID = 0x102;
    public const nuint CKA_SENSITIVE = 0x103;
    public const nuint CKA_ENCRYPT = 0x104;
    public const nuint CKA_DECRYPT = 0x105;
    public const nuint CKA_WRAP = 0x106;
    public const nuint CKA_UNWRAP = 0x107;
    public const nuint CKA_SIGN = 0x108;
    public const nuint CKA_VERIFY = 0x10A;
    public const nuint CKA_DERIVE = 0x10C;
    public const nuint CKA_MODULUS = 0x120;
    public const nuint CKA_MODULUS_BITS = 0x121;
    public const nuint CKA_PUBLIC_EXPONENT = 0x122;
    public const nuint CKA_PRIVATE_EXPONENT = 0x123;
    public const nuint CKA_VALUE_LEN = 0x161;
    public const nuint CKA_EXTRACTABLE = 0x162;
    public const nuint CKA_LOCAL = 0x163;
    public const nuint CKA_NEVER_EXTRACTABLE = 0x164;
    public const nuint CKA_ALWAYS_SENSITIVE = 0x165;
    public const nuint CKA_KEY_GEN_MECHANISM = 0x166;
    public const nuint CKA_EC_PARAMS = 0x180;
    public const nuint CKA_EC_POINT = 0x181;

    /// <summary>C_GetAttributeValue's ulValueLen for an attribute it cannot or may not reveal.</summary>
    public static readonly nuint CK_UNAVAILABLE_INFORMATION = nuint.MaxValue;
}

/// <summary>Mechanisms (CKM_*).</summary>
internal static class CKM
{
    public const nuint CKM_RSA_PKCS_KEY_PAIR_GEN = 0x0;
    public const nuint CKM_RSA_PKCS = 0x1;
    public const nuint CKM_RSA_X_509 = 0x3;
    public const nuint CKM_RSA_PKCS_PSS = 0xD;
    public const nuint CKM_SHA256_RSA_PKCS = 0x40;
    public const nuint CKM_SHA_1 = 0x220;
    public const nuint CKM_SHA256 = 0x250;
    public const nuint CKM_SHA384 = 0x260;
    public const nuint CKM_SHA512 = 0x270;
    public const nuint CKM_EC_KEY_PAIR_GEN = 0x1040;
    public const nuint CKM_ECDSA = 0x1041;
    public const nuint CKM_AES_KEY_GEN = 0x1080;
    public const nuint CKM_AES_KEY_WRAP_PAD = 0x210A;

    // CK_RSA_PKCS_MGF_TYPE
    public const nuint CKG_MGF1_SHA1 = 0x1;
    public const nuint CKG_MGF1_SHA256 = 0x2;
    public const nuint CKG_MGF1_SHA384 = 0x3;
    public const nuint CKG_MGF1_SHA512 = 0x4;
}
