using System.Security.Cryptography;
using DeviceAgent.Keys.Software;

namespace DeviceAgent.Keys.Tests.Software;

public sealed class FileKeyBackendTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("file-keys.");
    private readonly FileKeyBackend _backend = new();

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(KeyAlgorithm.EcP256, false)]
    [InlineData(KeyAlgorithm.EcP384, true)]
    [InlineData(KeyAlgorithm.Rsa2048, true)]
    public void Created_key_reopens_with_the_same_public_key(KeyAlgorithm algorithm, bool encrypted)
    {
        var key = Reference("k.pem", encrypted ? "correct horse" : null);

        var created = _backend.CreateKey(key, algorithm);
        using var opened = _backend.OpenPrivateKey(key);

        Assert.Equal(created.Sha256Fingerprint, DevicePublicKey.FromAlgorithm(opened).Sha256Fingerprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.FilePath!));
        Assert.Equal(encrypted, File.ReadAllText(key.FilePath!).Contains("ENCRYPTED", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_passphrase_is_named()
    {
        _backend.CreateKey(Reference("k.pem", "right"), KeyAlgorithm.EcP256);

        var e = Assert.Throws<KeyCustodyException>(() => _backend.OpenPrivateKey(Reference("k.pem", "wrong")));

        Assert.Equal(KeyCustodyError.PinRejected, e.Error);
        Assert.Contains("the passphrase is wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_key_is_refused()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var e = Assert.Throws<KeyCustodyException>(() => _backend.OpenPrivateKey(Reference("cert.pem", null)));

        Assert.Equal(KeyCustodyError.UnsupportedKey, e.Error);
        Assert.Contains("holds no EC or RSA private key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<KeyCustodyException>(() => _backend.OpenPrivateKey(Reference("absent.pem", null)));
        Assert.Equal(KeyCustodyError.KeyNotFound, e.Error);
    }

    [Fact]
    public void An_existing_key_file_is_never_overwritten()
    {
        var key = Reference("k.pem", null);
        _backend.CreateKey(key, KeyAlgorithm.EcP256);
        var before = File.ReadAllText(key.FilePath!);

        var e = Assert.Throws<KeyCustodyException>(() => _backend.CreateKey(key, KeyAlgorithm.EcP256));

        Assert.Equal(KeyCustodyError.KeyAlreadyExists, e.Error);
        Assert.Equal(before, File.ReadAllText(key.FilePath!));
    }

    [Fact]
    public void Sec1_and_pkcs1_files_made_by_openssl_are_read()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(_dir.FullName, "sec1.pem"), ec.ExportECPrivateKeyPem());
        using var rsa = RSA.Create(2048);
        File.WriteAllText(Path.Combine(_dir.FullName, "pkcs1.pem"), rsa.ExportRSAPrivateKeyPem());

        using var a = _backend.OpenPrivateKey(Reference("sec1.pem", null));
        using var b = _backend.OpenPrivateKey(Reference("pkcs1.pem", null));

        Assert.IsAssignableFrom<ECDsa>(a);
        Assert.IsAssignableFrom<RSA>(b);
    }

    private KeyReference Reference(string name, string? passphrase)
    {
        PinSource? source = null;
        if (passphrase is not null)
        {
            var file = Path.Combine(_dir.FullName, name + "." + Guid.NewGuid().ToString("N") + ".pass");
            File.WriteAllText(file, passphrase);
            source = PinSource.FromFile(file);
        }
        return KeyReference.Parse("file:" + Path.Combine(_dir.FullName, name), pin: source);
    }
}
