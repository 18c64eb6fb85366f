using System.Security.Cryptography;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Credentials;

/// <summary>
/// DPS's TPM authentication key (the <c>authenticationKey</c> of its 401 challenge and of
/// <c>registrationState.tpm</c>): an HMAC key delivered so that only the TPM with that EK and
/// SRK can use it. Layout (Azure IoT C SDK hsm_client_tpm.c, TSS.MSR DRS sample), each a TPM2B:
/// TPM2B_ID_OBJECT credentialBlob || TPM2B_ENCRYPTED_SECRET secret (for TPM2_ActivateCredential
/// with the SRK as activateHandle and the EK as keyHandle, recovering the inner wrapper key) ||
/// TPM2B_PRIVATE duplicate || TPM2B_ENCRYPTED_SECRET inSymSeed || TPM2B_PUBLIC objectPublic (for
/// TPM2_Import under the SRK with symmetricAlg AES-128-CFB and the recovered key) || an optional
/// TPM2B of encrypted data (empty here). Immutable.
/// </summary>
/// <param name="CredentialBlob">The TPM2B_ID_OBJECT's buffer.</param>
/// <param name="Secret">The TPM2B_ENCRYPTED_SECRET's buffer (seed for the EK).</param>
/// <param name="Duplicate">The TPM2B_PRIVATE's buffer.</param>
/// <param name="InSymSeed">The TPM2B_ENCRYPTED_SECRET's buffer (seed for the SRK).</param>
/// <param name="ObjectPublic">The HMAC key's public area.</param>
public sealed record ActivationBlob(byte[] CredentialBlob, byte[] Secret, byte[] Duplicate, byte[] InSymSeed, TpmtPublic ObjectPublic)
{
    /// <summary>The inner wrapper's symmetric definition that TPM2_Import needs: AES-128-CFB.</summary>
    public static TpmtSymDefObject InnerWrapper => TpmtSymDefObject.Aes128Cfb;

    /// <summary>
    /// Makes the blob for <paramref name="hmacKey"/>: a fresh inner wrapper key protected to the
    /// EK by MakeCredential for the SRK's Name, the key duplicated to the SRK under that inner key.
    /// </summary>
    /// <param name="endorsementKey">The EK's public area (RSA storage key, TCG template).</param>
    /// <param name="storageRootKey">The SRK's public area (RSA storage key).</param>
    /// <param name="hmacKey">The key the device will hold (DPS: 32 octets).</param>
    /// <exception cref="TpmFormatException">The EK or SRK is not an RSA storage key with AES-CFB.</exception>
    public static ActivationBlob Create(TpmtPublic endorsementKey, TpmtPublic storageRootKey, ReadOnlySpan<byte> hmacKey)
    {
        ArgumentNullException.ThrowIfNull(endorsementKey);
        ArgumentNullException.ThrowIfNull(storageRootKey);
        var innerKey = RandomNumberGenerator.GetBytes(Duplication.InnerKeyBytes);
        try
        {
            var (objectPublic, sensitive) = HmacKeyObject.Create(hmacKey);
            var (duplicate, inSymSeed) = Duplication.Create(objectPublic, sensitive, storageRootKey, innerKey);
            var (credentialBlob, secret) = CredentialProtection.Make(endorsementKey, innerKey, storageRootKey.Name());
            return new ActivationBlob(credentialBlob, secret, duplicate, inSymSeed, objectPublic);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(innerKey);
        }
    }

    /// <summary>The blob as DPS sends it (base64 it for the wire).</summary>
    public byte[] ToBytes()
    {
        var writer = new TpmWriter(1024);
        writer.WriteTpm2b(CredentialBlob).WriteTpm2b(Secret).WriteTpm2b(Duplicate).WriteTpm2b(InSymSeed);
        ObjectPublic.WriteSized(writer);
        writer.WriteTpm2b([]);
        return writer.ToArray();
    }

    /// <summary>Parses a blob as DPS sends it; the trailing encrypted data, if any, is ignored.</summary>
    /// <exception cref="TpmFormatException">Truncated or malformed; the message names the field.</exception>
    public static ActivationBlob Parse(ReadOnlyMemory<byte> bytes)
    {
        var reader = new TpmReader(bytes, "DPS authenticationKey");
        var credentialBlob = reader.ReadTpm2b("TPM2B_ID_OBJECT credentialBlob");
        var secret = reader.ReadTpm2b("TPM2B_ENCRYPTED_SECRET secret");
        var duplicate = reader.ReadTpm2b("TPM2B_PRIVATE duplicate");
        var inSymSeed = reader.ReadTpm2b("TPM2B_ENCRYPTED_SECRET inSymSeed");
        var objectPublic = TpmtPublic.ReadSized(reader);
        if (reader.Remaining > 0)
            reader.ReadTpm2b("TPM2B encrypted data");
        reader.ExpectEnd();
        return new ActivationBlob(credentialBlob, secret, duplicate, inSymSeed, objectPublic);
    }
}
