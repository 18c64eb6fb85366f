using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Crypto;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Credentials;

/// <summary>
/// TPM2_MakeCredential done in software (TPM 2.0 Part 1 24 "Credential Protection"; Part 3
/// 12.6): a credential that only the TPM holding the private part of <c>protector</c> (the EK)
/// can recover, and only with TPM2_ActivateCredential for an object of Name <c>objectName</c>
/// (the SRK) loaded in the same TPM. seed: RSA-OAEP to the EK, label "IDENTITY\0";
/// symKey = KDFa(ekNameAlg, seed, "STORAGE", objectName, -, ekSymmetric.keyBits);
/// encIdentity = CFB_symKey(IV 0, TPM2B_DIGEST credential);
/// HMACkey = KDFa(ekNameAlg, seed, "INTEGRITY", -, -, digest bits);
/// integrityHMAC = HMAC_HMACkey(encIdentity || objectName).
/// </summary>
public static class CredentialProtection
{
    /// <summary>The protected credential: the buffers of the <c>TPM2B_ID_OBJECT</c> (integrityHMAC as TPM2B || encIdentity) and of the <c>TPM2B_ENCRYPTED_SECRET</c>.</summary>
    /// <param name="protector">The EK's public area: an RSA storage key with AES-CFB symmetric parameters.</param>
    /// <param name="credential">The credential (at most the digest size of the EK's nameAlg).</param>
    /// <param name="objectName">The Name of the object the credential is bound to.</param>
    /// <exception cref="TpmFormatException">The protector cannot protect a credential (not RSA, no AES-CFB, credential too long).</exception>
    public static (byte[] IdObject, byte[] EncryptedSecret) Make(TpmtPublic protector, ReadOnlySpan<byte> credential, ReadOnlySpan<byte> objectName)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var symmetric = StorageSymmetric(protector, "the endorsement key");
        if (credential.Length > TpmHash.DigestSize(protector.NameAlg))
            throw new TpmFormatException($"a credential of {credential.Length} octets is longer than the EK's nameAlg digest (Part 3 12.6.1: TPM_RC_SIZE)");
        var (seed, encryptedSeed) = SecretSeed.Create(protector, "IDENTITY");
        var symKey = Kdf.KdfA(protector.NameAlg, seed, "STORAGE", objectName, [], symmetric.KeyBits);
        var credential2b = new TpmWriter().WriteTpm2b(credential).ToArray();
        var encIdentity = AesCfb.Encrypt(symKey, credential2b);
        var integrity = OuterIntegrity(protector.NameAlg, seed, encIdentity, objectName);
        var idObject = new TpmWriter().WriteTpm2b(integrity).WriteBytes(encIdentity).ToArray();
        return (idObject, encryptedSeed);
    }

    /// <summary>HMAC_{KDFa(nameAlg, seed, "INTEGRITY", -, -, digest bits)}(data || name) (Part 1 23.3.2.3 and 24.5).</summary>
    internal static byte[] OuterIntegrity(TpmAlgId nameAlg, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> data, ReadOnlySpan<byte> name)
    {
        var hmacKey = Kdf.KdfA(nameAlg, seed, "INTEGRITY", [], [], TpmHash.DigestSize(nameAlg) * 8);
        var message = new byte[data.Length + name.Length];
        data.CopyTo(message);
        name.CopyTo(message.AsSpan(data.Length));
        return TpmHash.Hmac(nameAlg, hmacKey, message);
    }

    /// <summary>The AES-CFB symmetric definition of a storage key (its outer wrapper algorithm).</summary>
    internal static TpmtSymDefObject StorageSymmetric(TpmtPublic key, string what)
    {
        if (key.Parameters is not TpmsRsaParms { Symmetric: { Algorithm: TpmAlgId.Aes, Mode: TpmAlgId.Cfb } symmetric })
        {
            throw new TpmFormatException(
                $"{what} is not an RSA storage key with AES-CFB symmetric parameters (type {key.Type}); DPS's EK and SRK follow the TCG templates (RSA 2048, AES-128-CFB)");
        }
        return symmetric;
    }
}
