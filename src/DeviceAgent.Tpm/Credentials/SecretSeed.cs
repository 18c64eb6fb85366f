using DeviceAgent.Tpm.Constants;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
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
        var label = Encoding.ASCII.GetBytes(use + "\0");
        var encrypted = OaepEncrypt(storageKey.ToRsaParameters(), seed, label, storageKey.NameAlg);
        return (seed, encrypted);
    }

    // RSAES-OAEP (RFC 8017 7.1.1) with a label, which .NET's RSA.Encrypt does not take: the
    // encoding (EME-OAEP, MGF1 with the same hash) is done here and the raw RSA operation by .NET
    // as the public-key primitive RSAEP (RFC 8017 5.1.1): em^e mod n.
    internal static byte[] OaepEncrypt(RSAParameters key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> label, TpmAlgId hashAlg)
    {
        var k = key.Modulus!.Length;
        var hLen = TpmHash.DigestSize(hashAlg);
        if (message.Length > k - 2 * hLen - 2)
            throw new TpmFormatException($"a {message.Length}-octet secret does not fit RSA-OAEP under a {k * 8}-bit key (RFC 8017 7.1.1)");
        var lHash = TpmHash.Hash(hashAlg, label);
        var db = new byte[k - hLen - 1];
        lHash.CopyTo(db, 0);
        db[db.Length - message.Length - 1] = 0x01;
        message.CopyTo(db.AsSpan(db.Length - message.Length));
        var seed = RandomNumberGenerator.GetBytes(hLen);
        Xor(db, Mgf1(hashAlg, seed, db.Length));
        Xor(seed, Mgf1(hashAlg, db, hLen));
        var em = new byte[k];
        seed.CopyTo(em, 1);
        db.CopyTo(em, 1 + hLen);
        return Rsaep(key, em);
    }

    private static byte[] Rsaep(RSAParameters key, byte[] em)
    {
        var n = new BigInteger(key.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(key.Exponent, isUnsigned: true, isBigEndian: true);
        var c = BigInteger.ModPow(new BigInteger(em, isUnsigned: true, isBigEndian: true), e, n);
        var octets = c.ToByteArray(isUnsigned: true, isBigEndian: true);
        var output = new byte[key.Modulus!.Length];
        octets.CopyTo(output, output.Length - octets.Length);
        return output;
    }

    private static byte[] Mgf1(TpmAlgId hashAlg, ReadOnlySpan<byte> seed, int length)
    {
        var output = new byte[length];
        var counter = new byte[4];
        var input = new byte[seed.Length + 4];
        seed.CopyTo(input);
        for (int i = 0, at = 0; at < length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(counter, (uint)i);
            counter.CopyTo(input, seed.Length);
            var block = TpmHash.Hash(hashAlg, input);
            var count = Math.Min(block.Length, length - at);
            block.AsSpan(0, count).CopyTo(output.AsSpan(at));
            at += count;
        }
        return output;
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> mask)
    {
        for (var i = 0; i < target.Length; i++)
            target[i] ^= mask[i];
    }
}
