using DeviceAgent.Tpm.Crypto;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Credentials;

/// <summary>
/// TPM2_Duplicate done in software (TPM 2.0 Part 1 23.3 "Protected Storage Hierarchy: duplication"):
/// an object created outside any TPM, wrapped so that TPM2_Import under <c>newParent</c> (the SRK)
/// accepts it. Inner wrapper (23.3.2.3), optional, AES-128-CFB with a zero IV under
/// <c>encryptionKey</c>: innerIntegrity = H_nameAlg(TPM2B_SENSITIVE || name);
/// encSensitive = CFB(TPM2B_DIGEST innerIntegrity || TPM2B_SENSITIVE). Outer wrapper (23.3.2.2),
/// seed RSA-OAEP to the new parent with label "DUPLICATE\0":
/// symKey = KDFa(parentNameAlg, seed, "STORAGE", name, -, parentSymmetric.keyBits);
/// dupSensitive = CFB_symKey(IV 0, encSensitive);
/// outerHMAC = HMAC_KDFa(..."INTEGRITY"...)(dupSensitive || name).
/// </summary>
internal static class Duplication
{
    /// <summary>Key size of the inner wrapper this implementation makes (TPMT_SYM_DEF_OBJECT AES-128-CFB).</summary>
    public const int InnerKeyBytes = 16;

    /// <summary>The buffers of the TPM2B_PRIVATE duplicate (outerHMAC as TPM2B || dupSensitive) and of the TPM2B_ENCRYPTED_SECRET inSymSeed, for TPM2_Import.</summary>
    /// <param name="objectPublic">The public area of the object (its Name binds the wrappers).</param>
    /// <param name="sensitive">Its sensitive area.</param>
    /// <param name="newParent">The storage key it will be imported under.</param>
    /// <param name="encryptionKey">The inner wrapper's AES-128 key; empty for no inner wrapper (symmetricAlg NULL at import).</param>
    public static (byte[] Duplicate, byte[] InSymSeed) Create(TpmtPublic objectPublic, TpmtSensitive sensitive, TpmtPublic newParent, ReadOnlySpan<byte> encryptionKey)
    {
        ArgumentNullException.ThrowIfNull(objectPublic);
        ArgumentNullException.ThrowIfNull(sensitive);
        ArgumentNullException.ThrowIfNull(newParent);
        if (encryptionKey.Length is not (0 or InnerKeyBytes))
            throw new ArgumentException($"the inner wrapper key is AES-128: {InnerKeyBytes} octets, or none", nameof(encryptionKey));
        var name = objectPublic.Name();
        var sensitive2b = sensitive.ToSizedBytes();

        byte[] encSensitive;
        if (encryptionKey.IsEmpty)
            encSensitive = sensitive2b;
        else
        {
            var innerIntegrity = TpmHash.Hash(objectPublic.NameAlg, [.. sensitive2b, .. name]);
            encSensitive = AesCfb.Encrypt(encryptionKey, new TpmWriter().WriteTpm2b(innerIntegrity).WriteBytes(sensitive2b).ToArray());
        }

        var symmetric = CredentialProtection.StorageSymmetric(newParent, "the new parent (SRK)");
        var (seed, encryptedSeed) = SecretSeed.Create(newParent, "DUPLICATE");
        var symKey = Kdf.KdfA(newParent.NameAlg, seed, "STORAGE", name, [], symmetric.KeyBits);
        var dupSensitive = AesCfb.Encrypt(symKey, encSensitive);
        var outerHmac = CredentialProtection.OuterIntegrity(newParent.NameAlg, seed, dupSensitive, name);
        var duplicate = new TpmWriter().WriteTpm2b(outerHmac).WriteBytes(dupSensitive).ToArray();
        return (duplicate, encryptedSeed);
    }
}
