namespace DeviceAgent.Provisioning.Tpm;

/// <summary>
/// The TPM as DPS's TPM attestation needs it, kept behind this interface so that the DPS protocol
/// (this project) does not depend on a TPM stack: the agent implements it with ours
/// (DeviceAgent.Tpm's TpmAuthenticationKey). Keys never cross it: the device imports DPS's blobs
/// into the TPM and signs inside it. Implementations are used from one registration at a time.
/// </summary>
public interface IDpsTpmDevice
{
    /// <summary>The endorsement key's public area as a marshalled TPM2B_PUBLIC.</summary>
    /// <exception cref="ProvisioningException">The TPM cannot be used (not transient).</exception>
    byte[] EndorsementKey { get; }

    /// <summary>The storage root key's public area as a marshalled TPM2B_PUBLIC (DPS seals its blobs to it).</summary>
    /// <exception cref="ProvisioningException">The TPM cannot be used (not transient).</exception>
    byte[] StorageRootKey { get; }

    /// <summary>Recovers the key of DPS's <c>authenticationKey</c> blob inside the TPM; it replaces the key imported before.</summary>
    /// <exception cref="ProvisioningException">The TPM refused the blob (made for another TPM, or altered): not transient.</exception>
    void ImportAuthenticationKey(byte[] authenticationKey);

    /// <summary>HMAC-SHA256 of <paramref name="data"/> with the imported key, computed by the TPM.</summary>
    /// <exception cref="ProvisioningException">No key was imported, or the TPM failed.</exception>
    byte[] Sign(byte[] data);
}
