namespace DeviceAgent.Tpm.Constants;

/// <summary>
/// TPM_RC, response codes with the handle/parameter/session bits removed (TPM 2.0 Part 2 6.6).
/// Format-0 codes are RC_VER1 + n (0x100..0x17F) and warnings RC_WARN + n (0x900..0x97F);
/// format-1 codes are RC_FMT1 + n (0x080..0x0BF). <see cref="TpmResponseCode"/> decodes a raw code.
/// </summary>
#pragma warning disable CA1028 // The wire type is UINT32.
public enum TpmRc : uint
#pragma warning restore CA1028
{
    /// <summary>TPM_RC_SUCCESS.</summary>
    Success = 0x000,
    /// <summary>TPM_RC_BAD_TAG: the command's tag is not a TPM 2.0 tag.</summary>
    BadTag = 0x01E,

    /// <summary>TPM_RC_INITIALIZE: TPM2_Startup has not been run.</summary>
    Initialize = 0x100,
    /// <summary>TPM_RC_FAILURE: the TPM is in failure mode.</summary>
    Failure = 0x101,
    /// <summary>TPM_RC_SEQUENCE: improper use of a sequence handle.</summary>
    Sequence = 0x103,
    /// <summary>TPM_RC_PRIVATE.</summary>
    Private = 0x10B,
    /// <summary>TPM_RC_HMAC.</summary>
    Hmac = 0x119,
    /// <summary>TPM_RC_DISABLED: the command is disabled.</summary>
    Disabled = 0x120,
    /// <summary>TPM_RC_EXCLUSIVE: the command failed because an audit sequence required exclusivity.</summary>
    Exclusive = 0x121,
    /// <summary>TPM_RC_AUTH_TYPE: the authorization handle is not correct for the command.</summary>
    AuthType = 0x124,
    /// <summary>TPM_RC_AUTH_MISSING: the command requires an authorization session for a handle and it is missing.</summary>
    AuthMissing = 0x125,
    /// <summary>TPM_RC_POLICY: the policy failed.</summary>
    Policy = 0x126,
    /// <summary>TPM_RC_PCR.</summary>
    Pcr = 0x127,
    /// <summary>TPM_RC_PCR_CHANGED.</summary>
    PcrChanged = 0x128,
    /// <summary>TPM_RC_UPGRADE: the TPM is in field-upgrade mode.</summary>
    Upgrade = 0x12D,
    /// <summary>TPM_RC_TOO_MANY_CONTEXTS: context ID counter is at maximum.</summary>
    TooManyContexts = 0x12E,
    /// <summary>TPM_RC_AUTH_UNAVAILABLE: authValue or authPolicy is not available for the selected entity.</summary>
    AuthUnavailable = 0x12F,
    /// <summary>TPM_RC_REBOOT: a _TPM_Init and Startup(CLEAR) is required.</summary>
    Reboot = 0x130,
    /// <summary>TPM_RC_UNBALANCED.</summary>
    Unbalanced = 0x131,
    /// <summary>TPM_RC_COMMAND_SIZE: commandSize is inconsistent with the contents.</summary>
    CommandSize = 0x142,
    /// <summary>TPM_RC_COMMAND_CODE: the command code is not supported.</summary>
    CommandCode = 0x143,
    /// <summary>TPM_RC_AUTHSIZE.</summary>
    AuthSize = 0x144,
    /// <summary>TPM_RC_AUTH_CONTEXT: use of an authorization session with a context command.</summary>
    AuthContext = 0x145,
    /// <summary>TPM_RC_NV_RANGE.</summary>
    NvRange = 0x146,
    /// <summary>TPM_RC_NV_SIZE.</summary>
    NvSize = 0x147,
    /// <summary>TPM_RC_NV_LOCKED.</summary>
    NvLocked = 0x148,
    /// <summary>TPM_RC_NV_AUTHORIZATION.</summary>
    NvAuthorization = 0x149,
    /// <summary>TPM_RC_NV_UNINITIALIZED: the index has never been written.</summary>
    NvUninitialized = 0x14A,
    /// <summary>TPM_RC_NV_SPACE: insufficient space for NV allocation.</summary>
    NvSpace = 0x14B,
    /// <summary>TPM_RC_NV_DEFINED: the NV index or persistent handle is already defined.</summary>
    NvDefined = 0x14C,
    /// <summary>TPM_RC_BAD_CONTEXT: the context in TPM2_ContextLoad is not valid.</summary>
    BadContext = 0x150,
    /// <summary>TPM_RC_CPHASH.</summary>
    CpHash = 0x151,
    /// <summary>TPM_RC_PARENT: the handle is not a parent.</summary>
    Parent = 0x152,
    /// <summary>TPM_RC_NEEDS_TEST.</summary>
    NeedsTest = 0x153,
    /// <summary>TPM_RC_NO_RESULT.</summary>
    NoResult = 0x154,
    /// <summary>TPM_RC_SENSITIVE: the sensitive area did not unmarshal correctly after decryption.</summary>
    Sensitive = 0x155,

    /// <summary>TPM_RC_ASYMMETRIC.</summary>
    Asymmetric = 0x081,
    /// <summary>TPM_RC_ATTRIBUTES: inconsistent attributes.</summary>
    Attributes = 0x082,
    /// <summary>TPM_RC_HASH: hash algorithm not supported or not appropriate.</summary>
    Hash = 0x083,
    /// <summary>TPM_RC_VALUE: value out of range or not correct for the context.</summary>
    Value = 0x084,
    /// <summary>TPM_RC_HIERARCHY: the hierarchy is not enabled or not correct for the use.</summary>
    Hierarchy = 0x085,
    /// <summary>TPM_RC_KEY_SIZE.</summary>
    KeySize = 0x087,
    /// <summary>TPM_RC_MGF.</summary>
    Mgf = 0x088,
    /// <summary>TPM_RC_MODE.</summary>
    Mode = 0x089,
    /// <summary>TPM_RC_TYPE.</summary>
    Type = 0x08A,
    /// <summary>TPM_RC_HANDLE: the handle is not correct for the use.</summary>
    Handle = 0x08B,
    /// <summary>TPM_RC_KDF.</summary>
    Kdf = 0x08C,
    /// <summary>TPM_RC_RANGE.</summary>
    Range = 0x08D,
    /// <summary>TPM_RC_AUTH_FAIL: the authorization HMAC check failed and the DA counter was incremented.</summary>
    AuthFail = 0x08E,
    /// <summary>TPM_RC_NONCE.</summary>
    Nonce = 0x08F,
    /// <summary>TPM_RC_PP.</summary>
    PhysicalPresence = 0x090,
    /// <summary>TPM_RC_SCHEME.</summary>
    Scheme = 0x092,
    /// <summary>TPM_RC_SIZE.</summary>
    Size = 0x095,
    /// <summary>TPM_RC_SYMMETRIC.</summary>
    Symmetric = 0x096,
    /// <summary>TPM_RC_TAG.</summary>
    Tag = 0x097,
    /// <summary>TPM_RC_SELECTOR.</summary>
    Selector = 0x098,
    /// <summary>TPM_RC_INSUFFICIENT: the input is too short for the structure.</summary>
    Insufficient = 0x09A,
    /// <summary>TPM_RC_SIGNATURE: the signature is not valid.</summary>
    Signature = 0x09B,
    /// <summary>TPM_RC_KEY.</summary>
    Key = 0x09C,
    /// <summary>TPM_RC_POLICY_FAIL.</summary>
    PolicyFail = 0x09D,
    /// <summary>TPM_RC_INTEGRITY: the integrity check failed.</summary>
    Integrity = 0x09F,
    /// <summary>TPM_RC_TICKET.</summary>
    Ticket = 0x0A0,
    /// <summary>TPM_RC_RESERVED_BITS.</summary>
    ReservedBits = 0x0A1,
    /// <summary>TPM_RC_BAD_AUTH: authorization failure without DA implications.</summary>
    BadAuth = 0x0A2,
    /// <summary>TPM_RC_EXPIRED.</summary>
    Expired = 0x0A3,
    /// <summary>TPM_RC_POLICY_CC.</summary>
    PolicyCc = 0x0A4,
    /// <summary>TPM_RC_BINDING: the public and sensitive portions of an object are not cryptographically bound.</summary>
    Binding = 0x0A5,
    /// <summary>TPM_RC_CURVE.</summary>
    Curve = 0x0A6,
    /// <summary>TPM_RC_ECC_POINT.</summary>
    EccPoint = 0x0A7,

    /// <summary>TPM_RC_CONTEXT_GAP.</summary>
    ContextGap = 0x901,
    /// <summary>TPM_RC_OBJECT_MEMORY: out of memory for object contexts.</summary>
    ObjectMemory = 0x902,
    /// <summary>TPM_RC_SESSION_MEMORY: out of memory for session contexts.</summary>
    SessionMemory = 0x903,
    /// <summary>TPM_RC_MEMORY.</summary>
    Memory = 0x904,
    /// <summary>TPM_RC_SESSION_HANDLES.</summary>
    SessionHandles = 0x905,
    /// <summary>TPM_RC_OBJECT_HANDLES.</summary>
    ObjectHandles = 0x906,
    /// <summary>TPM_RC_LOCALITY.</summary>
    Locality = 0x907,
    /// <summary>TPM_RC_YIELDED: the TPM suspended the operation; resubmit.</summary>
    Yielded = 0x908,
    /// <summary>TPM_RC_CANCELED.</summary>
    Canceled = 0x909,
    /// <summary>TPM_RC_TESTING: the TPM is self-testing.</summary>
    Testing = 0x90A,
    /// <summary>TPM_RC_NV_RATE: NV is rate-limited.</summary>
    NvRate = 0x920,
    /// <summary>TPM_RC_LOCKOUT: authorizations for objects subject to DA protection are not allowed now.</summary>
    Lockout = 0x921,
    /// <summary>TPM_RC_RETRY: the TPM was not able to start the command.</summary>
    Retry = 0x922,
    /// <summary>TPM_RC_NV_UNAVAILABLE.</summary>
    NvUnavailable = 0x923,
}
