namespace DeviceAgent.Tpm.Constants;

/// <summary>TPM_PT: the TPM properties GetCapability(TPM_CAP_TPM_PROPERTIES) reports (Part 2 6.13).</summary>
public static class TpmPt
{
    /// <summary>TPM_PT_MANUFACTURER: the vendor ID, four ASCII characters (TCG vendor registry).</summary>
    public const uint Manufacturer = 0x100 + 5;

    /// <summary>TPM_PT_FIRMWARE_VERSION_1: the vendor's firmware version, most significant 32 bits.</summary>
    public const uint FirmwareVersion1 = 0x100 + 11;

    /// <summary>TPM_PT_FIRMWARE_VERSION_2: the vendor's firmware version, least significant 32 bits.</summary>
    public const uint FirmwareVersion2 = 0x100 + 12;

    /// <summary>TPM_PT_PERMANENT: TPMA_PERMANENT (bit 9 inLockout).</summary>
    public const uint Permanent = 0x200 + 0;

    /// <summary>TPM_PT_LOCKOUT_COUNTER: authorization failures counted toward lockout.</summary>
    public const uint LockoutCounter = 0x200 + 14;

    /// <summary>TPM_PT_MAX_AUTH_FAIL: failures before the TPM enters lockout.</summary>
    public const uint MaxAuthFail = 0x200 + 15;

    /// <summary>TPM_PT_LOCKOUT_INTERVAL: seconds for the counter to decrement by one.</summary>
    public const uint LockoutInterval = 0x200 + 16;

    /// <summary>TPMA_PERMANENT.inLockout (Part 2 8.6).</summary>
    public const uint PermanentInLockout = 1u << 9;
}
