using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Factory.Tests.Support;

/// <summary>The RFC 5280 profiles bringup promises, checked field by field.</summary>
internal static class CertificateProfiles
{
    public static void AssertCa(X509Certificate2 ca, X509Certificate2 issuer, int? pathLength)
    {
        Assert.Equal(3, ca.Version);
        Assert.Equal(issuer.Subject, ca.Issuer);
        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.Critical && constraints.CertificateAuthority, $"{ca.Subject}: basicConstraints critical cA=TRUE (RFC 5280 4.2.1.9)");
        Assert.Equal(pathLength is not null, constraints.HasPathLengthConstraint);
        if (pathLength is { } length)
            Assert.Equal(length, constraints.PathLengthConstraint);
        var usage = Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        AssertKeyIdentifiers(ca, issuer);
        Assert.Empty(ca.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        AssertSerial(ca);
    }

    public static void AssertDevice(X509Certificate2 leaf, X509Certificate2 issuer, string registrationId)
    {
        Assert.Equal(3, leaf.Version);
        Assert.Equal($"CN={registrationId}", leaf.Subject);
        Assert.Equal(issuer.Subject, leaf.Issuer);
        var constraints = Assert.Single(leaf.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.False(constraints.CertificateAuthority);
        var usage = Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        var expected = leaf.GetRSAPublicKey() is null ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment;
        Assert.Equal(expected, usage.KeyUsages);
        var extended = Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], extended.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value)); // clientAuth
        AssertKeyIdentifiers(leaf, issuer);
        AssertSerial(leaf);
        Assert.True(leaf.NotAfter <= issuer.NotAfter, "a leaf never outlives its CA");
    }

    private static void AssertKeyIdentifiers(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var subjectKeyId = Assert.Single(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        var expected = new X509SubjectKeyIdentifierExtension(certificate.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.Sha1, false);
        Assert.True(subjectKeyId.SubjectKeyIdentifierBytes.Span.SequenceEqual(expected.SubjectKeyIdentifierBytes.Span), "SKI = SHA-1 of the key (RFC 5280 4.2.1.2 (1))");
        var issuerKeyId = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes;
        var authorityKeyId = Assert.Single(certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.True(authorityKeyId.KeyIdentifier!.Value.Span.SequenceEqual(issuerKeyId.Span), "AKI = the issuer's SKI (RFC 5280 4.2.1.1)");
    }

    private static void AssertSerial(X509Certificate2 certificate)
    {
        var serial = certificate.SerialNumberBytes.Span;
        Assert.Equal(17, serial.Length);
        Assert.True(serial[0] == 0 && serial[1] >= 0x80, "a positive 128-bit serial (RFC 5280 4.1.2.2)");
    }
}
