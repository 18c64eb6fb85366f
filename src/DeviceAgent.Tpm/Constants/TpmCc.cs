namespace DeviceAgent.Tpm.Constants;

/// <summary>TPM_CC, the command codes this stack sends (TPM 2.0 Part 2 6.5.2).</summary>
#pragma warning disable CA1028 // The wire type is UINT32.
public enum TpmCc : uint
#pragma warning restore CA1028
{
    /// <summary>TPM2_EvictControl.</summary>
    EvictControl = 0x00000120,
    /// <summary>TPM2_CreatePrimary.</summary>
    CreatePrimary = 0x00000131,
    /// <summary>TPM2_SequenceComplete.</summary>
    SequenceComplete = 0x0000013E,
    /// <summary>TPM2_SelfTest.</summary>
    SelfTest = 0x00000143,
    /// <summary>TPM2_Startup.</summary>
    Startup = 0x00000144,
    /// <summary>TPM2_Shutdown.</summary>
    Shutdown = 0x00000145,
    /// <summary>TPM2_ActivateCredential.</summary>
    ActivateCredential = 0x00000147,
    /// <summary>TPM2_Certify.</summary>
    Certify = 0x00000148,
    /// <summary>TPM2_NV_Read.</summary>
    NvRead = 0x0000014E,
    /// <summary>TPM2_PolicySecret.</summary>
    PolicySecret = 0x00000151,
    /// <summary>TPM2_Create.</summary>
    Create = 0x00000153,
    /// <summary>TPM2_HMAC.</summary>
    Hmac = 0x00000155,
    /// <summary>TPM2_Import.</summary>
    Import = 0x00000156,
    /// <summary>TPM2_Load.</summary>
    Load = 0x00000157,
    /// <summary>TPM2_HMAC_Start.</summary>
    HmacStart = 0x0000015B,
    /// <summary>TPM2_SequenceUpdate.</summary>
    SequenceUpdate = 0x0000015C,
    /// <summary>TPM2_Sign.</summary>
    Sign = 0x0000015D,
    /// <summary>TPM2_ContextLoad.</summary>
    ContextLoad = 0x00000161,
    /// <summary>TPM2_ContextSave.</summary>
    ContextSave = 0x00000162,
    /// <summary>TPM2_FlushContext.</summary>
    FlushContext = 0x00000165,
    /// <summary>TPM2_LoadExternal.</summary>
    LoadExternal = 0x00000167,
    /// <summary>TPM2_MakeCredential.</summary>
    MakeCredential = 0x00000168,
    /// <summary>TPM2_NV_ReadPublic.</summary>
    NvReadPublic = 0x00000169,
    /// <summary>TPM2_PolicyCommandCode.</summary>
    PolicyCommandCode = 0x0000016C,
    /// <summary>TPM2_ReadPublic.</summary>
    ReadPublic = 0x00000173,
    /// <summary>TPM2_StartAuthSession.</summary>
    StartAuthSession = 0x00000176,
    /// <summary>TPM2_VerifySignature.</summary>
    VerifySignature = 0x00000177,
    /// <summary>TPM2_GetCapability.</summary>
    GetCapability = 0x0000017A,
    /// <summary>TPM2_GetRandom.</summary>
    GetRandom = 0x0000017B,
    /// <summary>TPM2_PolicyGetDigest.</summary>
    PolicyGetDigest = 0x00000189,
}
