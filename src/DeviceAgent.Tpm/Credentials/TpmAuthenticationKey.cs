using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Credentials;

/// <summary>
/// The device's side of DPS TPM attestation: the EK (TCG template L-1, RSA 2048, at 0x81010001,
/// what tpm2_createek makes) and an RSA 2048 SRK (TCG Provisioning Guidance 7.5.1) at 0x81000002,
/// because DPS seals to RSA storage keys while 0x81000001 holds the agent's ECC SRK for tpm: keys.
/// An <see cref="ActivationBlob"/> (the 401 challenge, or the hub key in registrationState.tpm) is
/// recovered inside the TPM: policy session with PolicySecret(TPM_RH_ENDORSEMENT) for the EK,
/// TPM2_ActivateCredential (SRK as activateHandle, EK as keyHandle) yields the inner wrapper key,
/// TPM2_Import under the SRK, TPM2_Load, and TPM2_EvictControl to 0x81000100 (an older key there is
/// evicted first). The HMAC key never leaves the TPM; SAS signatures are TPM2_HMAC. Not thread-safe
/// (one TPM connection, commands in sequence).
/// </summary>
public static class TpmAuthenticationKey
{
    /// <summary>The RSA SRK DPS's blobs are sealed to.</summary>
    public const uint StorageRootKeyHandle = 0x81000002;

    /// <summary>Where the recovered key is kept (the Azure IoT C SDK's DPS key handle): the registration key, then the hub key.</summary>
    public const uint PersistentHandle = 0x81000100;

    /// <summary>The EK and the SRK, created from their templates only when absent.</summary>
    /// <exception cref="TpmException">The TPM refused (a hierarchy with an auth value) or a handle holds something else.</exception>
    public static (ReadPublicResult EndorsementKey, ReadPublicResult StorageRootKey) EnsurePrimaries(Tpm2 tpm)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        var ek = PersistentPrimary.EnsureEk(tpm);
        var srk = PersistentPrimary.Ensure(tpm, StorageRootKeyHandle, TpmHandle.Owner, TpmHandle.Owner, TcgTemplates.SrkRsa2048);
        if (srk.Public.Type != TpmAlgId.Rsa)
            throw new TpmException($"persistent handle 0x{StorageRootKeyHandle:X8} holds a {srk.Public.Type} storage key; DPS needs an RSA 2048 SRK there: evict it (tpm2_evictcontrol -c 0x{StorageRootKeyHandle:X8})");
        return (ek, srk);
    }

    /// <summary>A public area as DPS wants it: the marshalled TPM2B_PUBLIC.</summary>
    public static byte[] ToTpm2bPublic(TpmtPublic key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var writer = new TpmWriter();
        key.WriteSized(writer);
        return writer.ToArray();
    }

    /// <summary>
    /// Recovers the key of <paramref name="authenticationKey"/> (DPS's blob) in the TPM and makes it
    /// persistent at <paramref name="persistentHandle"/>, replacing what was there.
    /// </summary>
    /// <exception cref="TpmFormatException">The blob does not parse.</exception>
    /// <exception cref="TpmException">The TPM refused the blob: it was made for another EK or SRK, or altered
    /// (the message says which step; the TPM's own integrity checks decide, nothing is guessed).</exception>
    public static void Import(Tpm2 tpm, ReadOnlyMemory<byte> authenticationKey, uint persistentHandle = PersistentHandle)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        var blob = ActivationBlob.Parse(authenticationKey);
        var (ek, srk) = EnsurePrimaries(tpm);
        var ekHandle = new TpmHandle(TcgTemplates.EkHandle, ek.Name);
        var srkHandle = new TpmHandle(StorageRootKeyHandle, srk.Name);

        byte[] innerKey;
        using (var policy = (PolicySession)tpm.StartAuthSession(policy: true))
        {
            tpm.PolicySecret(TpmHandle.Endorsement, policy);
            innerKey = Refused("TPM2_ActivateCredential", "the credential was not made for this TPM's EK and SRK, or it was altered",
                () => tpm.ActivateCredential(srkHandle, ekHandle, blob.CredentialBlob, blob.Secret, keySession: policy));
        }
        var imported = Refused("TPM2_Import", "the duplicate was not made for this TPM's SRK, or it was altered",
            () => tpm.Import(srkHandle, innerKey, blob.ObjectPublic, blob.Duplicate, blob.InSymSeed, ActivationBlob.InnerWrapper));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(innerKey);
        var (loaded, _) = tpm.Load(srkHandle, imported, blob.ObjectPublic);
        try
        {
            if (PersistentPrimary.TryReadPublic(tpm, persistentHandle) is not null)
                tpm.EvictControl(TpmHandle.Owner, persistentHandle, persistentHandle);
            tpm.EvictControl(TpmHandle.Owner, loaded, persistentHandle);
        }
        finally
        {
            tpm.FlushContext(loaded);
        }
    }

    /// <summary>TPM2_HMAC-SHA256 of <paramref name="data"/> with the key at <paramref name="persistentHandle"/>.</summary>
    /// <exception cref="TpmException">No key there (provision again), or the TPM refused.</exception>
    public static byte[] Sign(Tpm2 tpm, ReadOnlySpan<byte> data, uint persistentHandle = PersistentHandle)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        var key = PersistentPrimary.TryReadPublic(tpm, persistentHandle)
            ?? throw new TpmException($"the TPM holds no DPS authentication key at 0x{persistentHandle:X8}: provision the device again");
        if (key.Public.Type != TpmAlgId.KeyedHash)
            throw new TpmException($"persistent handle 0x{persistentHandle:X8} holds a {key.Public.Type} key, not the DPS HMAC key: provision the device again");
        return tpm.HmacAll(new TpmHandle(persistentHandle, key.Name), data, TpmAlgId.Sha256);
    }

    private static T Refused<T>(string command, string meaning, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (TpmResponseException e)
        {
            throw new TpmException($"the TPM refused DPS's authentication key at {command} ({e.Code}): {meaning}", e);
        }
    }
}
