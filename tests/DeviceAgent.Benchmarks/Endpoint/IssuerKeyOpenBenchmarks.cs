using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using DeviceAgent.Keys;
using DeviceAgent.Keys.Software;
using ProvisioningEndpoint.Issuance;

namespace DeviceAgent.Benchmarks.Endpoint;

/// <summary>
/// What the endpoint pays per issuance to open its issuer's key (encrypted PKCS#8, PBKDF2 with 600,000 iterations,
/// as <c>provisioning-endpoint issuer import</c> writes it): decrypting it every time (the baseline) against
/// <see cref="IssuerKeyCache"/> (decrypted once per lifetime, a key object imported from the kept plaintext per open).
/// One operation = one open, the key used for one ECDSA P-256 signature and disposed.
/// <c>./build.sh bench --filter '*IssuerKeyOpen*'</c>
/// </summary>
[InProcess]
[WarmupCount(1)]
[IterationCount(5)]
public class IssuerKeyOpenBenchmarks
{
    private static readonly byte[] s_digest = SHA256.HashData("a leaf's to-be-signed bytes"u8);
    private readonly FileKeyBackend _files = new();
    private DirectoryInfo _dir = null!;
    private KeyReference _key = null!;
    private IssuerKeyCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("issuer-key-bench.");
        var passphrase = Path.Combine(_dir.FullName, "issuer.passphrase");
        File.WriteAllText(passphrase, "issuer passphrase\n");
        var path = Path.Combine(_dir.FullName, "issuer.key");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            File.WriteAllText(path, key.ExportEncryptedPkcs8PrivateKeyPem("issuer passphrase"u8, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000)));
        _key = KeyReference.Parse("file:" + path, null, PinSource.FromFile(passphrase));
        _cache = new IssuerKeyCache(TimeProvider.System, IssuerKeyCache.DefaultLifetime);
    }

    [Benchmark(Baseline = true, Description = "decrypt the issuer key per issuance")]
    public int DecryptEachTime()
    {
        using var key = (ECDsa)_files.OpenPrivateKey(_key);
        return key.SignHash(s_digest).Length;
    }

    [Benchmark(Description = "IssuerKeyCache")]
    public int Cached()
    {
        using var key = (ECDsa)_cache.OpenPrivateKey(_key);
        return key.SignHash(s_digest).Length;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _dir.Delete(recursive: true);
    }
}
