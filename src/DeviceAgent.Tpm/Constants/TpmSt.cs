namespace DeviceAgent.Tpm.Constants;

/// <summary>TPM_ST, structure tags (TPM 2.0 Part 2 6.9).</summary>
#pragma warning disable CA1028 // The wire type is UINT16.
public enum TpmSt : ushort
#pragma warning restore CA1028
{
    /// <summary>TPM_ST_RSP_COMMAND: the tag of a response to a malformed (TPM 1.2) command.</summary>
    RspCommand = 0x00C4,
    /// <summary>TPM_ST_NULL.</summary>
    Null = 0x8000,
    /// <summary>TPM_ST_NO_SESSIONS: a command or response with no authorization area.</summary>
    NoSessions = 0x8001,
    /// <summary>TPM_ST_SESSIONS: a command or response with an authorization area.</summary>
    Sessions = 0x8002,
    /// <summary>TPM_ST_ATTEST_NV.</summary>
    AttestNv = 0x8014,
    /// <summary>TPM_ST_ATTEST_CERTIFY: the tag of TPMS_ATTEST made by TPM2_Certify.</summary>
    AttestCertify = 0x8017,
    /// <summary>TPM_ST_ATTEST_QUOTE.</summary>
    AttestQuote = 0x8018,
    /// <summary>TPM_ST_CREATION.</summary>
    Creation = 0x8021,
    /// <summary>TPM_ST_VERIFIED.</summary>
    Verified = 0x8022,
    /// <summary>TPM_ST_AUTH_SECRET.</summary>
    AuthSecret = 0x8023,
    /// <summary>TPM_ST_HASHCHECK.</summary>
    HashCheck = 0x8024,
    /// <summary>TPM_ST_AUTH_SIGNED.</summary>
    AuthSigned = 0x8025,
}
