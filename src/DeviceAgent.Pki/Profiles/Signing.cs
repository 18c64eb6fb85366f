using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Profiles;

/// <summary>
/// How a key signs certificates and requests: the hash matches the key's strength (SHA-384 with
/// P-384, RFC 5480 4; SHA-256 otherwise) and RSA uses PKCS#1 v1.5 (RFC 4055 5, sha256WithRSAEncryption),
/// which every TLS peer and DPS accept. The key may live anywhere: a PKCS#11-backed
/// <see cref="ECDsa"/>/<see cref="RSA"/> signs with one C_Sign per signature.
/// </summary>
internal static class Signing
{
    /// <exception cref="NotSupportedException">The key is neither ECDsa nor RSA.</exception>
    public static HashAlgorithmName HashFor(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: > 256 } => HashAlgorithmName.SHA384,
        ECDsa or RSA => HashAlgorithmName.SHA256,
        _ => throw new NotSupportedException($"{key.GetType().Name} keys cannot sign certificates; use an EC or RSA key"),
    };

    /// <exception cref="NotSupportedException">The key is neither ECDsa nor RSA.</exception>
    public static X509SignatureGenerator GeneratorFor(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException($"{key.GetType().Name} keys cannot sign certificates; use an EC or RSA key"),
    };

    /// <summary>Whether <paramref name="key"/> is the private half of <paramref name="publicKey"/>, by SubjectPublicKeyInfo.</summary>
    public static bool Matches(AsymmetricAlgorithm key, PublicKey publicKey) =>
        key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(Canonical(publicKey));

    private static byte[] Canonical(PublicKey key)
    {
        if (key.GetECDsaPublicKey() is { } ec)
        {
            using (ec)
                return ec.ExportSubjectPublicKeyInfo();
        }
        if (key.GetRSAPublicKey() is { } rsa)
        {
            using (rsa)
                return rsa.ExportSubjectPublicKeyInfo();
        }
        return key.ExportSubjectPublicKeyInfo();
    }
}
