namespace DeviceAgent.Hardware.Tpm;

/// <summary>The verdict of a <see cref="TpmDiscovery"/>.</summary>
public enum TpmStatus
{
    /// <summary>A TPM 2.0 is present and its resource manager device opens for this user.</summary>
    Ready,

    /// <summary>No TPM at all: no /sys/class/tpm entry, no /dev/tpm* node.</summary>
    NotFound,

    /// <summary>The TPM is not a TPM 2.0 (tpm_version_major is 1).</summary>
    UnsupportedVersion,

    /// <summary>A TPM 2.0 is known to the kernel but /dev/tpmrmN, its resource manager device, is missing.</summary>
    NoResourceManager,

    /// <summary>/dev/tpmrmN exists but this user may not open it (group tss).</summary>
    PermissionDenied,

    /// <summary>/dev/tpmrmN exists but opening it failed for another reason.</summary>
    Unreachable,
}
