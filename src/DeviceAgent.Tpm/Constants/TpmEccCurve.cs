namespace DeviceAgent.Tpm.Constants;

/// <summary>TPM_ECC_CURVE (TPM 2.0 Part 2 6.4).</summary>
#pragma warning disable CA1028 // The wire type is UINT16.
public enum TpmEccCurve : ushort
#pragma warning restore CA1028
{
    /// <summary>TPM_ECC_NONE.</summary>
    None = 0x0000,
    /// <summary>TPM_ECC_NIST_P256.</summary>
    NistP256 = 0x0003,
    /// <summary>TPM_ECC_NIST_P384.</summary>
    NistP384 = 0x0004,
    /// <summary>TPM_ECC_NIST_P521.</summary>
    NistP521 = 0x0005,
}
