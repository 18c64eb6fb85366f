using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Tests.Support;

public enum TestKeyKind
{
    EcP256,
    EcP384,
    Rsa2048,
    Rsa2048Pss,
}

internal static class TestKeys
{
    public static AsymmetricAlgorithm Create(TestKeyKind kind) => kind switch
    {
        TestKeyKind.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestKeyKind.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => RSA.Create(2048),
    };

    /// <summary>How a CA with this kind of key signs: ECDSA, RSA PKCS#1 v1.5 or RSA-PSS.</summary>
    public static X509SignatureGenerator SignatureGenerator(AsymmetricAlgorithm key, TestKeyKind kind) => key switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, kind == TestKeyKind.Rsa2048Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    public static CertificateRequest Request(string subject, AsymmetricAlgorithm key, HashAlgorithmName hash) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, hash),
        RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };
}
