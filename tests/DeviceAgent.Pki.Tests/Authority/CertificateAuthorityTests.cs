using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Authority;

[Collection(SharedHierarchyGroup.Name)]
public sealed class CertificateAuthorityTests(SharedHierarchy hierarchy)
{
    private CertificateAuthority Line => hierarchy.Line;

    [Theory]
    [InlineData(KeyAlgorithm.EcP256, X509KeyUsageFlags.DigitalSignature)]
    [InlineData(KeyAlgorithm.Rsa3072, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment)]
    public void A_device_leaf_follows_the_RFC_5280_end_entity_profile(KeyAlgorithm algorithm, X509KeyUsageFlags expectedUsage)
    {
        var id = $"profile-{algorithm}".ToUpperInvariant();
        var request = TestStore.Request("ignored-subject", algorithm);

        using var issued = Line.IssueDevice(new DeviceCertificateRequest(request, RegistrationId.Parse(id), TimeSpan.FromDays(365)));

        var leaf = issued.Certificate;
        Assert.Equal($"CN={id}", leaf.Subject); // CN = registration id, whatever the request asked for
        Assert.Equal(Line.Certificate.Subject, leaf.Issuer);
        var constraints = Assert.Single(leaf.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.False(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        var usage = Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(expectedUsage, usage.KeyUsages);
        var extended = Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], extended.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.False(extended.Critical);
        var subjectKeyId = Assert.Single(leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.True(subjectKeyId.SubjectKeyIdentifierBytes.Span.SequenceEqual(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.Sha1, false).SubjectKeyIdentifierBytes.Span));
        var lineKeyId = Line.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes;
        Assert.True(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.Span.SequenceEqual(lineKeyId.Span));
        Assert.True(leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(request.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.Equal(17, leaf.SerialNumberBytes.Length);
        Assert.Equal(0x00, leaf.SerialNumberBytes.Span[0]);
        Assert.True(leaf.SerialNumberBytes.Span[1] >= 0x80, "the serial is a 128-bit positive integer");
        Assert.InRange(leaf.NotBefore.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-6), DateTime.UtcNow.AddMinutes(-4));
        Assert.InRange((leaf.NotAfter - leaf.NotBefore).TotalDays, 365, 365.01);
    }

    [Fact]
    public void Every_certificate_is_logged_with_a_serial_reserved_before_signing_and_never_reused()
    {
        var requests = Enumerable.Range(1, 20)
            .Select(i => new DeviceCertificateRequest(TestStore.Request("x"), RegistrationId.Parse($"log-{i}"), TimeSpan.FromDays(1), $"/out/log-{i}"))
            .ToList();

        var issued = Line.IssueDevices(requests);
        try
        {
            var log = Line.Entry.Log.Read();
            var serials = File.ReadAllLines(Path.Combine(Line.Entry.Directory, "serials.txt"));
            foreach (var certificate in issued)
            {
                var record = Assert.Single(log, r => r.Serial == certificate.Record.Serial);
                Assert.Equal(IssuanceKind.Device, record.Kind);
                Assert.Equal(certificate.Certificate.GetCertHashString(HashAlgorithmName.SHA1), record.Thumbprint);
                Assert.Equal(certificate.Certificate.GetCertHashString(HashAlgorithmName.SHA256), record.Sha256Thumbprint);
                Assert.Equal(certificate.Certificate.Subject, record.Subject);
                Assert.Equal(certificate.Certificate.Issuer, record.Issuer);
                Assert.Equal(new DateTimeOffset(certificate.Certificate.NotAfter.ToUniversalTime()), record.NotAfter);
                Assert.Equal(Convert.ToHexString(certificate.Certificate.SerialNumberBytes.Span[1..]), record.Serial);
                Assert.Contains(record.Serial, serials);
                Assert.StartsWith("/out/log-", record.Output, StringComparison.Ordinal);
            }
            Assert.Equal(serials.Length, serials.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(log.Count, log.Select(r => r.Serial).Distinct(StringComparer.Ordinal).Count());
        }
        finally
        {
            foreach (var certificate in issued)
                certificate.Dispose();
        }
    }

    [Fact]
    public void A_leaf_asked_to_outlive_its_CA_ends_with_it()
    {
        using var issued = Line.IssueDevice(new DeviceCertificateRequest(TestStore.Request("x"), RegistrationId.Parse("long-lived"), TimeSpan.FromDays(365 * 30)));

        Assert.True(issued.ValidityClamped);
        Assert.Equal(Line.Certificate.NotAfter, issued.Certificate.NotAfter);
    }

    [Fact]
    public void A_second_process_using_the_same_CA_waits_then_is_told_who_holds_it()
    {
        var e = Assert.Throws<CertificateAuthorityException>(() =>
            CertificateAuthority.Open(hierarchy.Store.Store, "line", TestStore.Keys, lockTimeout: TimeSpan.FromMilliseconds(200)));

        Assert.Equal(CertificateAuthorityError.Busy, e.Error);
        Assert.Contains("CA 'line' is in use by another process", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_issuer_names_the_CAs_in_the_store()
    {
        var e = Assert.Throws<CertificateAuthorityException>(() => hierarchy.Store.CreateIntermediate("factory-b", "factory"));

        Assert.Equal(CertificateAuthorityError.NotFound, e.Error);
        Assert.Contains("no CA named 'factory'", e.Message, StringComparison.Ordinal);
        Assert.Contains(": line, root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chain_to_the_root_is_known()
    {
        Assert.Equal(2, Line.ChainToRoot.Count);
        Assert.Equal("CN=root CA, O=DeviceAgent Tests", Line.Root!.Subject);
        Assert.Equal(-1, Line.MaximumPathLengthBelow()); // no room for a CA below the line CA (pathLen 0) and the root (pathLen 1, used by the line CA)
    }
}
