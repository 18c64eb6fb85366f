using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Chains.Trust;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Authority;

public sealed class CaCreatorTests
{
    [Fact]
    public void A_root_follows_the_RFC_5280_CA_profile_and_its_directory_shows_what_it_holds()
    {
        using var store = new TestStore();

        using var root = store.CreateRoot(pathLength: 2);

        var certificate = root.Entry.Certificate;
        Assert.Equal("CN=root CA, O=DeviceAgent Tests", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.Equal(3, certificate.Version);
        var constraints = Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.Critical, "RFC 5280 4.2.1.9: basicConstraints is critical in a CA certificate");
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(2, constraints.PathLengthConstraint);
        var usage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        var subjectKeyId = Assert.Single(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.False(subjectKeyId.Critical);
        var authorityKeyId = Assert.Single(certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.True(authorityKeyId.KeyIdentifier!.Value.Span.SequenceEqual(subjectKeyId.SubjectKeyIdentifierBytes.Span));
        Assert.Empty(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(17, certificate.SerialNumberBytes.Length); // 128-bit magnitude, top bit set, plus the DER sign octet
        Assert.Equal("EC P-256", root.Key!.Description);
        Assert.False(root.Key.Existed);

        var directory = root.Entry.Directory;
        Assert.Equal(["README.txt", "ca.json", "certificate.pem", "issued.jsonl", "key.pem", "serials.txt"],
            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "key.pem")));
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(Path.Combine(directory, "key.pem")), StringComparison.Ordinal);
        Assert.DoesNotContain(TestStore.Passphrase, File.ReadAllText(Path.Combine(directory, "ca.json")), StringComparison.Ordinal);
        using var descriptor = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "ca.json")));
        Assert.Equal("encrypted-file", descriptor.RootElement.GetProperty("key").GetProperty("kind").GetString());
        Assert.Equal(store.PassphraseFile, descriptor.RootElement.GetProperty("key").GetProperty("secret").GetProperty("file").GetString());
        var serial = Assert.Single(File.ReadAllLines(Path.Combine(directory, "serials.txt")));
        var record = Assert.Single(root.Entry.Log.Read());
        Assert.Equal(serial, record.Serial);
        Assert.Equal(IssuanceKind.Ca, record.Kind);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA1), record.Thumbprint);
        Assert.DoesNotContain(Directory.GetDirectories(store.Store.Directory), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Intermediates_chain_at_any_depth_with_the_issuers_key_identifier()
    {
        using var store = new TestStore();
        store.CreateRoot(pathLength: 2, algorithm: KeyAlgorithm.EcP384).Dispose();
        using var factory = store.CreateIntermediate("factory", "root", pathLength: 1);
        using var line = store.CreateIntermediate("line", "factory", pathLength: 0);
        using var root = store.Store.Get("root");

        var certificate = factory.Entry.Certificate;
        Assert.Equal(root.Certificate.Subject, certificate.Issuer);
        Assert.Equal("root", factory.Entry.IssuerName);
        var rootKeyId = root.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes;
        var authorityKeyId = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value;
        Assert.True(authorityKeyId.Span.SequenceEqual(rootKeyId.Span), "RFC 5280 4.2.1.1: AKI = the issuer's SKI");
        Assert.Equal(1, certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().PathLengthConstraint);
        Assert.Equal("sha384ECDSA", certificate.SignatureAlgorithm.FriendlyName); // a P-384 issuer signs with SHA-384 (RFC 5480 4)
        Assert.Equal(IssuanceKind.Ca, root.Log.Read()[^1].Kind);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA1), root.Log.Read()[^1].Thumbprint);
        Assert.Equal(line.Entry.Certificate.GetCertHashString(HashAlgorithmName.SHA1), factory.Entry.Log.Read().Single().Thumbprint);

        // root -> factory -> production line -> device, as the DPS documents describe a manufacturer's hierarchy.
        using var ca = store.Open("line");
        Assert.Equal(["CN=line CA, O=DeviceAgent Tests", "CN=factory CA, O=DeviceAgent Tests", "CN=root CA, O=DeviceAgent Tests"],
            ca.ChainToRoot.Select(c => c.Subject));
        using var leaf = ca.IssueDevice(new DeviceCertificateRequest(TestStore.Request("x"), RegistrationId.Parse("deep-device"), TimeSpan.FromDays(30)));
        using var trust = ChainTrust.Evaluate(leaf.Certificate, [line.Entry.Certificate, factory.Entry.Certificate], [root.Certificate],
            DateTimeOffset.UtcNow, ChainTrust.ClientAuthentication);
        Assert.True(trust.IsTrusted, string.Join("; ", trust.Problems.Select(p => p.Information)));
        Assert.Equal(4, trust.Path.Count);
    }

    [Fact]
    public void A_rerun_reports_the_existing_CA_and_a_different_one_of_the_same_name_is_refused()
    {
        using var store = new TestStore();
        using var first = store.CreateRoot();

        using var again = store.CreateRoot();

        Assert.True(again.AlreadyExisted);
        Assert.Equal(first.Entry.Certificate.Thumbprint, again.Entry.Certificate.Thumbprint);
        var e = Assert.Throws<CertificateAuthorityException>(() => CaCreator.CreateRoot(store.Store,
            new CaSpecification("root", new X500DistinguishedName("CN=Another Root"), KeyAlgorithm.EcP256, null, TimeSpan.FromDays(1), store.FileKey),
            TestStore.Keys));
        Assert.Equal(CertificateAuthorityError.AlreadyExists, e.Error);
    }

    [Fact]
    public void An_intermediate_below_a_CA_whose_path_length_is_used_up_is_refused_before_any_key_is_made()
    {
        using var store = new TestStore();
        store.CreateRoot(pathLength: 1).Dispose();
        store.CreateIntermediate("factory", "root", pathLength: 0).Dispose();

        var e = Assert.Throws<CertificateAuthorityException>(() => store.CreateIntermediate("line", "factory"));

        Assert.Equal(CertificateAuthorityError.PathLengthExceeded, e.Error);
        Assert.Contains("CA 'factory'", e.Message, StringComparison.Ordinal);
        Assert.Contains("pathLenConstraint 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 5280 4.2.1.9", e.Message, StringComparison.Ordinal);
        Assert.False(store.Store.Contains("line"));
        Assert.DoesNotContain(Directory.GetDirectories(store.Store.Directory), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void A_path_length_larger_than_the_CAs_above_allow_is_refused()
    {
        using var store = new TestStore();
        store.CreateRoot(pathLength: 1).Dispose();

        var e = Assert.Throws<CertificateAuthorityException>(() => store.CreateIntermediate("factory", "root", pathLength: 3));

        Assert.Equal(CertificateAuthorityError.PathLengthExceeded, e.Error);
        Assert.Contains("use --path-length 0 or less", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intermediate_ends_no_later_than_its_issuer()
    {
        using var store = new TestStore();
        using var root = store.CreateRoot(validity: TimeSpan.FromDays(30));

        using var line = store.CreateIntermediate("line", "root", validity: TimeSpan.FromDays(365));

        Assert.Equal(root.Entry.Certificate.NotAfter, line.Entry.Certificate.NotAfter);
        Assert.Contains(line.Warnings, w => w.Contains("validity was cut", StringComparison.Ordinal));
    }

    [Fact]
    public void An_expired_issuer_cannot_issue()
    {
        using var store = new TestStore();
        store.CreateRoot(validity: TimeSpan.FromDays(1), clock: new FixedClock(DateTimeOffset.UtcNow.AddDays(-10))).Dispose();

        var e = Assert.Throws<CertificateAuthorityException>(() => store.CreateIntermediate("line", "root"));

        Assert.Equal(CertificateAuthorityError.Expired, e.Error);
        Assert.Contains("CA 'root' expired on", e.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 5280 4.1.2.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_passphrase_is_refused_by_the_key_file()
    {
        using var store = new TestStore();
        store.CreateRoot().Dispose();
        File.WriteAllText(store.PassphraseFile, "not the passphrase\n");

        var e = Assert.Throws<KeyCustodyException>(() => store.Open("root"));

        Assert.Equal(KeyCustodyError.PinRejected, e.Error);
        Assert.Contains("the passphrase is wrong", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not the passphrase", e.Message, StringComparison.Ordinal);
    }
}
