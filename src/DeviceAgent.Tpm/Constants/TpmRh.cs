namespace DeviceAgent.Tpm.Constants;

/// <summary>TPM_RH and TPM_RS, the permanent handles (TPM 2.0 Part 2 7.4).</summary>
public static class TpmRh
{
    /// <summary>TPM_RH_OWNER, the storage hierarchy.</summary>
    public const uint Owner = 0x40000001;
    /// <summary>TPM_RH_NULL.</summary>
    public const uint Null = 0x40000007;
    /// <summary>TPM_RS_PW, the password authorization session.</summary>
    public const uint Password = 0x40000009;
    /// <summary>TPM_RH_LOCKOUT.</summary>
    public const uint Lockout = 0x4000000A;
    /// <summary>TPM_RH_ENDORSEMENT, the endorsement hierarchy.</summary>
    public const uint Endorsement = 0x4000000B;
    /// <summary>TPM_RH_PLATFORM.</summary>
    public const uint Platform = 0x4000000C;

    /// <summary>The handle type of a handle (its most significant octet).</summary>
    public static TpmHt TypeOf(uint handle) => (TpmHt)(handle >> 24);
}
