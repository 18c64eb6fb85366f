using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Keys;

/// <summary>The public half of a device or CA key, as a DER SubjectPublicKeyInfo (RFC 5280 4.1.2.7).</summary>
public sealed class DevicePublicKey
{
    private readonly byte[] _spki;

    /// <summary>Wraps a SubjectPublicKeyInfo.</summary>
    /// <exception cref="CryptographicException">The bytes are not a supported SubjectPublicKeyInfo.</exception>
    public DevicePublicKey(KeyAlgorithm algorithm, ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Algorithm = algorithm;
        _spki = subjectPublicKeyInfo.ToArray();
    }

    /// <summary>The key type.</summary>
    public KeyAlgorithm Algorithm { get; }

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _spki;

    /// <summary>SHA-256 of the SubjectPublicKeyInfo, hex: how keys are named in messages.</summary>
    public string Sha256Fingerprint => Convert.ToHexString(SHA256.HashData(_spki));

    /// <summary>The key as a .NET <see cref="PublicKey"/>.</summary>
    public PublicKey ToPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(_spki, out _);

    /// <summary>Creates the public key from a .NET key object.</summary>
    /// <exception cref="NotSupportedException">The key is neither ECDsa P-256/P-384 nor RSA 2048/3072.</exception>
    public static DevicePublicKey FromAlgorithm(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key switch
        {
            ECDsa ec => new DevicePublicKey(ec.KeySize switch
            {
                256 => KeyAlgorithm.EcP256,
                384 => KeyAlgorithm.EcP384,
                _ => throw new NotSupportedException($"EC keys of {ec.KeySize} bits are not supported"),
            }, ec.ExportSubjectPublicKeyInfo()),
            RSA rsa => new DevicePublicKey(rsa.KeySize switch
            {
                2048 => KeyAlgorithm.Rsa2048,
                3072 => KeyAlgorithm.Rsa3072,
                _ => throw new NotSupportedException($"RSA keys of {rsa.KeySize} bits are not supported"),
            }, rsa.ExportSubjectPublicKeyInfo()),
            _ => throw new NotSupportedException($"{key.GetType().Name} keys are not supported"),
        };
    }

    /// <summary>True when both are the same key.</summary>
    public bool SameKeyAs(ReadOnlySpan<byte> subjectPublicKeyInfo) => subjectPublicKeyInfo.SequenceEqual(_spki);

    /// <summary>
    /// Verifies a signature over a hash: IEEE P1363 (r||s) for EC; PKCS#1 v1.5 or PSS for RSA.
    /// </summary>
    public bool VerifyHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, RSASignaturePadding? padding = null)
    {
        if (Algorithm.IsEllipticCurve())
        {
            using var ec = ECDsa.Create();
            ec.ImportSubjectPublicKeyInfo(_spki, out _);
            return ec.VerifyHash(hash, signature);
        }
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(_spki, out _);
        var name = hash.Length switch { 32 => HashAlgorithmName.SHA256, 48 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        return rsa.VerifyHash(hash, signature, name, padding ?? RSASignaturePadding.Pkcs1);
    }
}
