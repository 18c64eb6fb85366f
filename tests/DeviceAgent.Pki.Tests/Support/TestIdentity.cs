using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Tests.Support;

/// <summary>
/// A test certificate with its private key, able to issue others. Issuing goes through an
/// X509SignatureGenerator rather than the issuer's certificate so that tests can make what a
/// careful CA would refuse to (a leaf that outlives its expired issuer, a CA without cA=TRUE).
/// </summary>
internal sealed class TestIdentity : IDisposable
{
    private TestIdentity(X509Certificate2 certificate, AsymmetricAlgorithm key, TestKeyKind kind)
    {
        Certificate = certificate;
        Key = key;
        Kind = kind;
    }

    public X509Certificate2 Certificate { get; }

    public AsymmetricAlgorithm Key { get; }

    public TestKeyKind Kind { get; }

    public string Pem => PemEncoding.WriteString("CERTIFICATE", Certificate.RawData) + "\n";

    public static TestIdentity Root(string subject = "CN=Test Root CA, O=DeviceAgent Tests", TestKeyKind kind = TestKeyKind.EcP256, CertificateProfile? profile = null)
    {
        var key = TestKeys.Create(kind);
        var request = Request(subject, key, profile ?? CertificateProfile.Ca, issuer: null);
        var certificate = request.Create(request.SubjectName, TestKeys.SignatureGenerator(key, kind),
            TestPki.Now + (profile ?? CertificateProfile.Ca).NotBefore, TestPki.Now + (profile ?? CertificateProfile.Ca).NotAfter, Serial());
        return new TestIdentity(certificate, key, kind);
    }

    public TestIdentity Issue(string subject, CertificateProfile profile, TestKeyKind kind = TestKeyKind.EcP256, AsymmetricAlgorithm? key = null)
    {
        key ??= TestKeys.Create(kind);
        var request = Request(subject, key, profile, Certificate);
        var certificate = request.Create(Certificate.SubjectName, TestKeys.SignatureGenerator(Key, Kind),
            TestPki.Now + profile.NotBefore, TestPki.Now + profile.NotAfter, Serial());
        return new TestIdentity(certificate, key, kind);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key, CertificateProfile profile, X509Certificate2? issuer)
    {
        var hash = key is ECDsa { KeySize: 384 } ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        var request = TestKeys.Request(subject, key, hash);
        if (profile.CertificateAuthority is { } ca)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
                ca, profile.PathLength is not null, profile.PathLength ?? 0, critical: ca));
        }

        if (profile.KeyUsage is { } usage)
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        if (profile.ExtendedKeyUsages is { } usages)
        {
            var oids = new OidCollection();
            foreach (var oid in usages)
                oids.Add(new Oid(oid));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, critical: false));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (issuer is not null)
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request;
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // RFC 5280 4.1.2.2: a positive integer
        serial[0] |= 0x01;
        return serial;
    }
}
