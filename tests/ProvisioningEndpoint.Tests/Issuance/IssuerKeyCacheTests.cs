using System.Security.Cryptography;
using DeviceAgent.Keys;
using ProvisioningEndpoint.Issuance;

namespace ProvisioningEndpoint.Tests.Issuance;

/// <summary>
/// The endpoint's cache of decrypted issuer keys: one decryption per lifetime (the passphrase is not read again,
/// so its file may even be gone), a fresh key object per open, a rewritten key file decrypted again, nothing
/// after the lifetime or after disposal (the endpoint's shutdown).
/// </summary>
public sealed class IssuerKeyCacheTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("issuer-key-cache.");
    private readonly ManualClock _clock = new();

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void A_second_open_within_the_lifetime_decrypts_nothing_and_gives_a_fresh_key_object()
    {
        using var ca = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = WriteEncrypted(ca, "issuer.key");
        using var cache = new IssuerKeyCache(_clock, TimeSpan.FromMinutes(10));

        var first = cache.OpenPrivateKey(key);
        File.Delete(PassphrasePath); // a second decryption would need it
        first.Dispose(); // the caller's object: the cache keeps its own copy
        _clock.Advance(TimeSpan.FromMinutes(9));
        using var second = cache.OpenPrivateKey(key);

        Assert.Equal(ca.ExportSubjectPublicKeyInfo(), second.ExportSubjectPublicKeyInfo());
        using var verifier = ECDsa.Create(ca.ExportParameters(false));
        var data = "to be signed"u8.ToArray();
        Assert.True(verifier.VerifyData(data, ((ECDsa)second).SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    [Fact]
    public void After_the_lifetime_the_key_is_decrypted_again()
    {
        using var ca = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = WriteEncrypted(ca, "issuer.key");
        using var cache = new IssuerKeyCache(_clock, TimeSpan.FromMinutes(10));
        cache.OpenPrivateKey(key).Dispose();
        File.Delete(PassphrasePath);

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Throws<KeyCustodyException>(() => cache.OpenPrivateKey(key)); // decrypting again needs the passphrase
    }

    [Fact]
    public void A_rewritten_key_file_is_decrypted_again()
    {
        using var old = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var replacement = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var key = WriteEncrypted(old, "issuer.key");
        using var cache = new IssuerKeyCache(_clock, TimeSpan.FromMinutes(10));
        cache.OpenPrivateKey(key).Dispose();

        WriteEncrypted(replacement, "issuer.key");
        File.SetLastWriteTimeUtc(key.FilePath!, DateTime.UtcNow.AddMinutes(1));
        using var reopened = cache.OpenPrivateKey(key);

        Assert.Equal(replacement.ExportSubjectPublicKeyInfo(), reopened.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_disposed_cache_opens_nothing()
    {
        using var ca = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = WriteEncrypted(ca, "issuer.key");
        var cache = new IssuerKeyCache(_clock, TimeSpan.FromMinutes(10));
        cache.OpenPrivateKey(key).Dispose();

        cache.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cache.OpenPrivateKey(key));
    }

    private string PassphrasePath => Path.Combine(_dir.FullName, "issuer.passphrase");

    private KeyReference WriteEncrypted(ECDsa key, string name)
    {
        File.WriteAllText(PassphrasePath, "issuer passphrase\n");
        var path = Path.Combine(_dir.FullName, name);
        // Few iterations: the test is about how often it decrypts, not how slowly.
        File.WriteAllText(path, key.ExportEncryptedPkcs8PrivateKeyPem("issuer passphrase"u8, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));
        return KeyReference.Parse("file:" + path, null, PinSource.FromFile(PassphrasePath));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
