using DeviceAgent.Tpm.Constants;
using System.Security.Cryptography;
using DeviceAgent.Tpm.Crypto;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Credentials;

/// <summary>
/// A seed shared with a TPM storage key (TPM 2.0 Part 1 11.4.9.2 "Secret Sharing", RSA per
/// Annex B.10.3): a random value of the key's nameAlg digest size, encrypted with
/// RSA-OAEP under the key's public part, hash = the key's nameAlg, label = the use with its
/// terminating zero octet ("IDENTITY\0" for credentials, "DUPLICATE\0" for duplication). Only
/// the TPM holding the private key recovers it. ECC storage keys (KDFe with an ephemeral point)
/// are not supported: DPS's EK and SRK are RSA 2048.
/// </summary>
internal static class SecretSeed
{
    /// <summary>A fresh seed and its encryption (the TPM2B_ENCRYPTED_SECRET's buffer).</summary>
    /// <exception cref="TpmFormatException">The key is not an RSA storage key of a supported nameAlg.</exception>
    public static (byte[] Seed, byte[] EncryptedSeed) Create(TpmtPublic storageKey, string use)
    {
        ArgumentNullException.ThrowIfNull(storageKey);
        if (storageKey.Type != TpmAlgId.Rsa)
            throw new TpmFormatException($"the storage key is a {storageKey.Type} key; only RSA storage keys (DPS's EK and SRK) can receive a seed here");
        var seed = RandomNumberGenerator.GetBytes(TpmHash.DigestSize(storageKey.NameAlg));
        // RSAES-OAEP with the use as its label (RsaOaep: .NET's RSA.Encrypt takes no label).
        using var rsa = RSA.Create(storageKey.ToRsaParameters());
        var encrypted = RsaOaep.Encrypt(rsa, seed, storageKey.NameAlg, use);
        return (seed, encrypted);
    }
}
