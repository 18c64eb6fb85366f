using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A small CA hierarchy for tests: root -> intermediate -> leaf, where the leaf certifies any
/// public key (e.g. one read from a token). Software CA keys; the leaf has clientAuth.
/// </summary>
public sealed class TestChain : IDisposable
{
    private readonly ECDsa _rootKey;
    private readonly ECDsa _intermediateKey;

    private TestChain(ECDsa rootKey, X509Certificate2 root, ECDsa intermediateKey, X509Certificate2 intermediate)
    {
        _rootKey = rootKey;
        _intermediateKey = intermediateKey;
        Root = root;
        Intermediate = intermediate;
    }

    /// <summary>The self-signed root.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate CA certificate (no private key attached).</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>Creates a root and an intermediate.</summary>
    public static TestChain Create(string name = "DeviceAgent Test", TimeSpan? intermediateLifetime = null, DateTimeOffset? intermediateNotBefore = null)
    {
        var notBefore = intermediateNotBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = CaRequest($"CN={name} Root CA", rootKey, pathLength: 2);
        var root = rootRequest.CreateSelfSigned(notBefore.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));

        var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = CaRequest($"CN={name} Intermediate CA", intermediateKey, pathLength: 0);
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var notAfter = notBefore + (intermediateLifetime ?? TimeSpan.FromDays(365));
        var intermediate = intermediateRequest.Create(root, notBefore, notAfter, Serial());
        return new TestChain(rootKey, root, intermediateKey, intermediate);
    }

    /// <summary>Issues a leaf for <paramref name="subjectPublicKeyInfo"/> from the intermediate.</summary>
    public X509Certificate2 IssueLeaf(ReadOnlySpan<byte> subjectPublicKeyInfo, string commonName, bool clientAuth = true,
        DateTimeOffset? notAfter = null)
    {
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [clientAuth ? new Oid("1.3.6.1.5.5.7.3.2") : new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        return request.Create(Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(_intermediateKey),
            DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), Serial());
    }

    /// <summary>The PEM bundle a device stores: leaf, then the intermediate.</summary>
    public string BundlePem(X509Certificate2 leaf) => leaf.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n";

    /// <inheritdoc />
    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        _rootKey.Dispose();
        _intermediateKey.Dispose();
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key, int pathLength)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}
