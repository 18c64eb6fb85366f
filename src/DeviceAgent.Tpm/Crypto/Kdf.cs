using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm.Crypto;

/// <summary>
/// The TPM's key derivation functions (TPM 2.0 Part 1 11.4.10): KDFa, SP800-108 in counter mode
/// with HMAC, and KDFe, the SP800-56A concatenation KDF. Both return ceil(bits/8) bytes; when
/// bits is not a multiple of 8 the unused high-order bits of the first octet are zero.
/// </summary>
public static class Kdf
{
    /// <summary>
    /// KDFa(hashAlg, key, label, contextU, contextV, bits) (Part 1 11.4.10.2): the concatenation of
    /// HMAC_hashAlg(key, [i]32 || label || 00 || contextU || contextV || [bits]32) for i = 1, 2, ...
    /// </summary>
    /// <remarks>The label is given without its terminating zero octet ("STORAGE", "INTEGRITY", "CFB", "ATH", "IDENTITY"); it is added here.</remarks>
    public static byte[] KdfA(TpmAlgId hashAlg, ReadOnlySpan<byte> key, string label, ReadOnlySpan<byte> contextU, ReadOnlySpan<byte> contextV, int bits)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bits);
        var labelBytes = Encoding.ASCII.GetBytes(label);
        var output = new byte[(bits + 7) / 8];
        Span<byte> u32 = stackalloc byte[4];
        using var hmac = IncrementalHash.CreateHMAC(TpmHash.NameOf(hashAlg), key);
        var written = 0;
        for (uint counter = 1; written < output.Length; counter++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(u32, counter);
            hmac.AppendData(u32);
            hmac.AppendData(labelBytes);
            hmac.AppendData([0]);
            hmac.AppendData(contextU);
            hmac.AppendData(contextV);
            BinaryPrimitives.WriteUInt32BigEndian(u32, (uint)bits);
            hmac.AppendData(u32);
            written += Append(hmac.GetHashAndReset(), output, written);
        }
        Mask(output, bits);
        return output;
    }

    /// <summary>
    /// KDFe(hashAlg, Z, use, partyUInfo, partyVInfo, bits) (Part 1 11.4.10.3): the concatenation of
    /// H_hashAlg([i]32 || Z || use || 00 || partyUInfo || partyVInfo) for i = 1, 2, ...; Z is the
    /// x-coordinate of the ECDH shared point.
    /// </summary>
    /// <remarks>The use label is given without its terminating zero octet ("SECRET", "DUPLICATE", "IDENTITY"); it is added here.</remarks>
    public static byte[] KdfE(TpmAlgId hashAlg, ReadOnlySpan<byte> z, string use, ReadOnlySpan<byte> partyUInfo, ReadOnlySpan<byte> partyVInfo, int bits)
    {
        ArgumentNullException.ThrowIfNull(use);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bits);
        var useBytes = Encoding.ASCII.GetBytes(use);
        var output = new byte[(bits + 7) / 8];
        Span<byte> u32 = stackalloc byte[4];
        using var hash = IncrementalHash.CreateHash(TpmHash.NameOf(hashAlg));
        var written = 0;
        for (uint counter = 1; written < output.Length; counter++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(u32, counter);
            hash.AppendData(u32);
            hash.AppendData(z);
            hash.AppendData(useBytes);
            hash.AppendData([0]);
            hash.AppendData(partyUInfo);
            hash.AppendData(partyVInfo);
            written += Append(hash.GetHashAndReset(), output, written);
        }
        Mask(output, bits);
        return output;
    }

    private static int Append(byte[] block, byte[] output, int at)
    {
        var count = Math.Min(block.Length, output.Length - at);
        block.AsSpan(0, count).CopyTo(output.AsSpan(at));
        return count;
    }

    private static void Mask(byte[] output, int bits)
    {
        if (bits % 8 != 0)
            output[0] &= (byte)((1 << (bits % 8)) - 1);
    }
}
