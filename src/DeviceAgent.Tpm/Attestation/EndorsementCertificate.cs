using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm.Attestation;

/// <summary>
/// The EK certificate the manufacturer wrote into the TPM's NV (TCG EK Credential Profile 2.2.1.4:
/// 0x01C00002 for the RSA 2048 EK of template L-1, 0x01C0000A for the ECC P-256 EK of template
/// L-2), read with TPM2_NV_Read under owner authorization (the index is OWNERREAD; the owner's
/// auth value is empty on a device fresh from the factory).
/// </summary>
public static class EndorsementCertificate
{
    /// <summary>The indices, in the order they are looked for.</summary>
    public static IReadOnlyList<uint> Indices { get; } = [Tpm2.EkCertificateRsaIndex, Tpm2.EkCertificateEccIndex];

    /// <summary>The index that is defined first in <see cref="Indices"/> and its DER certificate; null when none is.</summary>
    /// <exception cref="TpmException">The TPM refused the read (an owner auth value is set) or is unreachable.</exception>
    public static (uint Index, byte[] Der)? TryRead(Tpm2 tpm, TpmHandle? owner = null)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        foreach (var index in Indices)
        {
            try
            {
                return (index, tpm.NvRead(owner ?? TpmHandle.Owner, index));
            }
            catch (TpmResponseException ex) when (ex.Code == TpmRc.Handle)
            {
                // not defined: try the next
            }
        }
        return null;
    }
}
