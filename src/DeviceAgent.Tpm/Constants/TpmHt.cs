namespace DeviceAgent.Tpm.Constants;

/// <summary>TPM_HT, the handle types: the most significant octet of a TPM_HANDLE (TPM 2.0 Part 2 7.2).</summary>
public enum TpmHt : byte
{
    /// <summary>TPM_HT_PCR.</summary>
    Pcr = 0x00,
    /// <summary>TPM_HT_NV_INDEX.</summary>
    NvIndex = 0x01,
    /// <summary>TPM_HT_HMAC_SESSION (also TPM_HT_LOADED_SESSION).</summary>
    HmacSession = 0x02,
    /// <summary>TPM_HT_POLICY_SESSION (also TPM_HT_SAVED_SESSION).</summary>
    PolicySession = 0x03,
    /// <summary>TPM_HT_PERMANENT: hierarchies and TPM_RS_PW.</summary>
    Permanent = 0x40,
    /// <summary>TPM_HT_TRANSIENT: loaded objects, which use the TPM's object slots.</summary>
    Transient = 0x80,
    /// <summary>TPM_HT_PERSISTENT: objects made persistent with TPM2_EvictControl.</summary>
    Persistent = 0x81,
}
