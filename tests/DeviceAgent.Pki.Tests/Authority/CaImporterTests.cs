using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Authority;

/// <summary>CAs made with OpenSSL (as certGen.sh makes them) keep working once imported.</summary>
public sealed class CaImporterTests
{
    private const string LegacyPassphrase = "1234"; // certGen.sh's

    /// <summary>The key forms certGen.sh and OpenSSL produce, and the openssl commands that make them from a plain key.</summary>
    public static TheoryData<string, string[]> KeyForms => new()
    {
        { "traditional EC, AES-256 (openssl ec -aes256)", ["ec", "-in", "{plain}", "-aes256", "-passout", "pass:1234", "-out", "{key}"] },
        { "traditional RSA, DES-EDE3 (openssl rsa -des3 -traditional)", ["rsa", "-in", "{plain-rsa}", "-des3", "-traditional", "-passout", "pass:1234", "-out", "{key}"] },
        { "encrypted PKCS#8 (openssl genrsa -aes256 on OpenSSL 3)", ["pkcs8", "-topk8", "-in", "{plain-rsa}", "-v2", "aes-256-cbc", "-passout", "pass:1234", "-out", "{key}"] },
        { "unencrypted PKCS#8", ["pkcs8", "-topk8", "-nocrypt", "-in", "{plain}", "-out", "{key}"] },
    };

    [Theory]
    [MemberData(nameof(KeyForms))]
    public void An_openssl_root_imports_and_issues(string form, string[] keyCommand)
    {
        using var store = new TestStore();
        var rsa = keyCommand.Contains("{plain-rsa}");
        var (certificate, key) = OpensslRoot(store, keyCommand, rsa);

        using var imported = CaImporter.Import(store.Store, new CaImportSpecification("legacy", certificate, null, key,
            SecretSource.FromFile(store.File("legacy.pass", LegacyPassphrase)), store.FileKey), TestStore.Keys);

        Assert.False(imported.AlreadyExisted);
        Assert.Equal(rsa ? "RSA 2048" : "EC P-256", imported.Key!.Description);
        var stored = File.ReadAllText(Path.Combine(imported.Entry.Directory, "key.pem"));
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", stored, StringComparison.Ordinal); // re-encrypted, whatever it came as
        using var ca = store.Open("legacy");
        using var leaf = ca.IssueDevice(new DeviceCertificateRequest(TestStore.Request("x"), RegistrationId.Parse("legacy-device"), TimeSpan.FromDays(1)));
        Assert.True(leaf.Certificate.Issuer == "CN=Azure IoT Hub CA Cert Test Only", form);
        using var again = CaImporter.Import(store.Store, new CaImportSpecification("legacy", certificate, null, key,
            SecretSource.FromFile(store.File("legacy.pass", LegacyPassphrase)), store.FileKey), TestStore.Keys);
        Assert.True(again.AlreadyExisted);
    }

    [Fact]
    public void A_wrong_passphrase_for_a_traditional_encrypted_key_is_refused()
    {
        using var store = new TestStore();
        var (certificate, key) = OpensslRoot(store, ["ec", "-in", "{plain}", "-aes256", "-passout", "pass:1234", "-out", "{key}"], rsa: false);

        var e = Assert.Throws<CertificateAuthorityException>(() => CaImporter.Import(store.Store, new CaImportSpecification("legacy", certificate, null, key,
            SecretSource.FromFile(store.File("wrong.pass", "4321")), store.FileKey), TestStore.Keys));

        Assert.Equal(CertificateAuthorityError.ImportRefused, e.Error);
        Assert.Contains("the passphrase is wrong", e.Message, StringComparison.Ordinal);
        Assert.False(store.Store.Contains("legacy"));
    }

    [Fact]
    public void A_key_that_is_not_the_certificates_is_refused()
    {
        using var store = new TestStore();
        var (certificate, _) = OpensslRoot(store, ["pkcs8", "-topk8", "-nocrypt", "-in", "{plain}", "-out", "{key}"], rsa: false);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherKey = store.File("other.pem", other.ExportPkcs8PrivateKeyPem());

        var e = Assert.Throws<CertificateAuthorityException>(() => CaImporter.Import(store.Store,
            new CaImportSpecification("legacy", certificate, null, otherKey, null, store.FileKey), TestStore.Keys));

        Assert.Equal(CertificateAuthorityError.KeyMismatch, e.Error);
    }

    [Fact]
    public void A_certificate_that_is_not_a_CA_is_refused()
    {
        using var store = new TestStore();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=device-01", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var leaf = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificate = store.File("leaf.pem", leaf.ExportCertificatePem());
        var keyFile = store.File("leaf.key", key.ExportPkcs8PrivateKeyPem());

        var e = Assert.Throws<CertificateAuthorityException>(() => CaImporter.Import(store.Store,
            new CaImportSpecification("not-a-ca", certificate, null, keyFile, null, store.FileKey), TestStore.Keys));

        Assert.Equal(CertificateAuthorityError.NotACa, e.Error);
        Assert.Contains("cA=FALSE", e.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 5280 4.2.1.9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intermediate_must_verify_under_the_issuer_it_names_and_a_certificate_alone_cannot_sign()
    {
        using var store = new TestStore();
        store.CreateRoot().Dispose();
        var (certificate, _) = OpensslRoot(store, ["pkcs8", "-topk8", "-nocrypt", "-in", "{plain}", "-out", "{key}"], rsa: false);

        var e = Assert.Throws<CertificateAuthorityException>(() => CaImporter.Import(store.Store,
            new CaImportSpecification("legacy", certificate, "root", null, null, CaKeyLocation.None), TestStore.Keys));
        Assert.Equal(CertificateAuthorityError.ImportRefused, e.Error);
        Assert.Contains("is not issued by CA 'root'", e.Message, StringComparison.Ordinal);

        using var alone = CaImporter.Import(store.Store, new CaImportSpecification("legacy", certificate, null, null, null, CaKeyLocation.None), TestStore.Keys);
        Assert.Contains(alone.Warnings, w => w.Contains("cannot issue", StringComparison.Ordinal));
        var noKey = Assert.Throws<CertificateAuthorityException>(() => store.Open("legacy"));
        Assert.Equal(CertificateAuthorityError.NoKey, noKey.Error);
    }

    /// <summary>A root as certGen.sh makes one: openssl req -x509 with v3_ca extensions, its key in the form under test.</summary>
    private static (string Certificate, string Key) OpensslRoot(TestStore store, string[] keyCommand, bool rsa)
    {
        var plain = store.PathOf("plain.pem");
        var plainRsa = store.PathOf("plain-rsa.pem");
        var key = store.PathOf("root.key.pem");
        var certificate = store.PathOf("root.cert.pem");
        Check(rsa ? Openssl.Run("genrsa", "-out", plainRsa, "2048") : Openssl.Run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", plain));
        Check(Openssl.Run([.. keyCommand.Select(a => a.Replace("{plain}", plain, StringComparison.Ordinal)
            .Replace("{plain-rsa}", plainRsa, StringComparison.Ordinal).Replace("{key}", key, StringComparison.Ordinal))]));
        Check(Openssl.Run("req", "-x509", "-new", "-key", rsa ? plainRsa : plain, "-subj", "/CN=Azure IoT Hub CA Cert Test Only", "-days", "30", "-sha256",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", certificate));
        return (certificate, key);
    }

    private static void Check((int ExitCode, string Output) result) => Assert.True(result.ExitCode == 0, result.Output);
}
