using System.Security.Cryptography;
using System.Text;
using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm.Crypto;

/// <summary>
/// RSAES-OAEP with a label (RFC 8017 7.1.1), which the TPM uses for salts, credentials and import
/// seeds ("SECRET", "IDENTITY", "DUPLICATE", each with its terminating zero octet, Part 1 B.10.3).
/// .NET's RSA.Encrypt takes no label, so the encoding is done here and the raw RSA operation by
/// .NET (encrypting the encoded block with no padding).
/// </summary>
public static class RsaOaep
{
    /// <summary>Encrypts <paramref name="message"/> to the public key with OAEP(hashAlg, MGF1(hashAlg), label || 00).</summary>
    public static byte[] Encrypt(RSA key, ReadOnlySpan<byte> message, TpmAlgId hashAlg, string label)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(label);
        var k = key.KeySize / 8;
        var hLen = TpmHash.DigestSize(hashAlg);
        if (message.Length > k - 2 * hLen - 2)
            throw new ArgumentException($"message of {message.Length} bytes is too long for OAEP with a {key.KeySize}-bit key", nameof(message));
        var lHash = TpmHash.Hash(hashAlg, Encoding.ASCII.GetBytes(label + "\0"));
        // DB = lHash || PS || 0x01 || M
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
        return RawEncrypt(key, em);
    }

    internal static byte[] Mgf1(TpmAlgId hashAlg, ReadOnlySpan<byte> seed, int length)
    {
        var output = new byte[length];
        var counter = new byte[4];
        for (int written = 0, i = 0; written < length; i++)
        {
            counter[0] = (byte)(i >> 24);
            counter[1] = (byte)(i >> 16);
            counter[2] = (byte)(i >> 8);
            counter[3] = (byte)i;
            var block = TpmHash.Hash(hashAlg, [.. seed, .. counter]);
            var count = Math.Min(block.Length, length - written);
            block.AsSpan(0, count).CopyTo(output.AsSpan(written));
            written += count;
        }
        return output;
    }

    private static void Xor(byte[] target, byte[] mask)
    {
        for (var i = 0; i < target.Length; i++)
            target[i] ^= mask[i];
    }

    // m^e mod n with the public key, via BigInteger (no padding API for raw RSA in .NET).
    private static byte[] RawEncrypt(RSA key, byte[] em)
    {
        var parameters = key.ExportParameters(false);
        var n = new System.Numerics.BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new System.Numerics.BigInteger(parameters.Exponent, isUnsigned: true, isBigEndian: true);
        var m = new System.Numerics.BigInteger(em, isUnsigned: true, isBigEndian: true);
        var c = System.Numerics.BigInteger.ModPow(m, e, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[parameters.Modulus!.Length];
        c.CopyTo(result, result.Length - c.Length);
        return result;
    }
}
