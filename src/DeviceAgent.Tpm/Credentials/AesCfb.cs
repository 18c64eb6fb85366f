using System.Security.Cryptography;

namespace DeviceAgent.Tpm.Credentials;

/// <summary>
/// The TPM's symmetric CFB mode (TPM 2.0 Part 1 11.4.6.4; Part 2 TPM_ALG_CFB): full-block
/// feedback, no padding, the last block cut to the data's length. The credential and duplication
/// wrappers use it with a zero IV. Built on .NET's CFB-128 over the data padded to whole blocks:
/// in CFB a ciphertext octet depends only on the octets before it, so cutting the padding off is
/// exact in both directions.
/// </summary>
internal static class AesCfb
{
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => Transform(key, data, encrypt: true);

    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => Transform(key, data, encrypt: false);

    private static byte[] Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, bool encrypt)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var padded = new byte[(data.Length + 15) / 16 * 16];
        data.CopyTo(padded);
        Span<byte> iv = stackalloc byte[16];
        var output = encrypt
            ? aes.EncryptCfb(padded, iv, PaddingMode.None, feedbackSizeInBits: 128)
            : aes.DecryptCfb(padded, iv, PaddingMode.None, feedbackSizeInBits: 128);
        return output[..data.Length];
    }
}
