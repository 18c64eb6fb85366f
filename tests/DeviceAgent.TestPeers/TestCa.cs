using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A software CA for tests, of any depth (root -> factory -> line): issues intermediates and
/// device leaves (CN = registration id, clientAuth) with software keys. Dispose the root last.
/// </summary>
public sealed class TestCa : IDisposable
{
    private TestCa(X509Certificate2 certificate, ECDsa key, TestCa? issuer)
    {
        Certificate = certificate;
        Key = key;
        Issuer = issuer;
    }

    /// <summary>The CA certificate (no private key attached).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's private key.</summary>
    public ECDsa Key { get; }

    /// <summary>The issuing CA; null for a root.</summary>
    public TestCa? Issuer { get; }

    /// <summary>This CA's certificate and its issuers' up to (excluding) the root: what a device sends after its leaf.</summary>
    public IReadOnlyList<X509Certificate2> ChainBelowRoot
    {
        get
        {
            var chain = new List<X509Certificate2>();
            for (var ca = this; ca.Issuer is not null; ca = ca.Issuer)
                chain.Add(ca.Certificate);
            return chain;
        }
    }

    /// <summary>A self-signed root.</summary>
    public static TestCa CreateRoot(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest($"CN={name}", key, pathLength: null);
        return new TestCa(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5)), key, null);
    }

    /// <summary>An intermediate CA issued by this one.</summary>
    public TestCa IssueIntermediate(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest($"CN={name}", key, pathLength: null);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var certificate = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(Key),
            DateTimeOffset.UtcNow.AddHours(-12), DateTimeOffset.UtcNow.AddYears(2), Serial());
        return new TestCa(certificate, key, this);
    }

    /// <summary>A device identity: a fresh software key and a leaf (CN = <paramref name="registrationId"/>) issued by this CA.</summary>
    public TestDevice IssueDevice(string registrationId)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TestDevice(registrationId, IssueLeaf(registrationId, key.ExportSubjectPublicKeyInfo()), key, this);
    }

    /// <summary>A leaf for any public key (e.g. one read from a token).</summary>
    public X509Certificate2 IssueLeaf(string commonName, ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(Key),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), Serial());
    }

    /// <summary>A certificate with subject CN = <paramref name="code"/> signed by this CA's key: a proof-of-possession verification certificate.</summary>
    public X509Certificate2 SignVerificationCertificate(string code, ECDsa? signingKey = null)
    {
        using var subjectKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={code}", subjectKey, HashAlgorithmName.SHA256);
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(signingKey ?? Key),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), Serial());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key, int? pathLength)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
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

/// <summary>A device with a software key and a leaf issued by a <see cref="TestCa"/>.</summary>
public sealed class TestDevice(string registrationId, X509Certificate2 leaf, ECDsa key, TestCa issuer) : IDisposable
{
    /// <summary>The registration id (the leaf's CN).</summary>
    public string RegistrationId { get; } = registrationId;

    /// <summary>The device certificate.</summary>
    public X509Certificate2 Leaf { get; } = leaf;

    /// <summary>The device key.</summary>
    public ECDsa Key { get; } = key;

    /// <summary>The issuing CA.</summary>
    public TestCa Issuer { get; } = issuer;

    /// <summary>What the device presents: leaf, then the intermediates below the root.</summary>
    public IReadOnlyList<X509Certificate2> FullChain => [Leaf, .. Issuer.ChainBelowRoot];

    /// <summary>The PEM chain bundle: leaf first, then intermediates.</summary>
    public string ChainPem => string.Concat(FullChain.Select(c => c.ExportCertificatePem() + "\n"));

    /// <summary>The key as PKCS#8 PEM (for SDK peers that need a key file).</summary>
    public string KeyPem => Key.ExportPkcs8PrivateKeyPem();

    /// <inheritdoc />
    public void Dispose()
    {
        Leaf.Dispose();
        Key.Dispose();
    }
}
