using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm.Crypto;

/// <summary>The TPM's hash algorithms mapped onto .NET's (SHA-1 only where a TPM structure demands it).</summary>
public static class TpmHash
{
    /// <summary>The .NET name of a TPM hash algorithm.</summary>
    /// <exception cref="TpmFormatException">Not a hash algorithm this stack supports.</exception>
    public static HashAlgorithmName NameOf(TpmAlgId hashAlg) => hashAlg switch
    {
        TpmAlgId.Sha1 => HashAlgorithmName.SHA1,
        TpmAlgId.Sha256 => HashAlgorithmName.SHA256,
        TpmAlgId.Sha384 => HashAlgorithmName.SHA384,
        TpmAlgId.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new TpmFormatException($"hash algorithm {hashAlg} (0x{(ushort)hashAlg:X4}) is not supported (SHA-1/256/384/512 are)"),
    };

    /// <summary>The TPM algorithm id of a .NET hash algorithm.</summary>
    /// <exception cref="TpmFormatException">Not SHA-1/256/384/512.</exception>
    public static TpmAlgId IdOf(HashAlgorithmName name) =>
        name == HashAlgorithmName.SHA256 ? TpmAlgId.Sha256
        : name == HashAlgorithmName.SHA384 ? TpmAlgId.Sha384
        : name == HashAlgorithmName.SHA512 ? TpmAlgId.Sha512
        : name == HashAlgorithmName.SHA1 ? TpmAlgId.Sha1
        : throw new TpmFormatException($"hash algorithm {name} has no TPM algorithm id in this stack");

    /// <summary>The digest size in bytes.</summary>
    public static int DigestSize(TpmAlgId hashAlg) => hashAlg switch
    {
        TpmAlgId.Sha1 => 20,
        TpmAlgId.Sha256 => 32,
        TpmAlgId.Sha384 => 48,
        TpmAlgId.Sha512 => 64,
        _ => throw new TpmFormatException($"hash algorithm {hashAlg} (0x{(ushort)hashAlg:X4}) is not supported"),
    };

    /// <summary>H(data).</summary>
    public static byte[] Hash(TpmAlgId hashAlg, ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(NameOf(hashAlg));
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }

    /// <summary>HMAC(key, data).</summary>
    public static byte[] Hmac(TpmAlgId hashAlg, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        using var hmac = IncrementalHash.CreateHMAC(NameOf(hashAlg), key);
        hmac.AppendData(data);
        return hmac.GetHashAndReset();
    }
}
