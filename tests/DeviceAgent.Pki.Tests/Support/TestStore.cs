using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Tests.Support;

/// <summary>
/// A CA store in a fresh temp directory, with CA keys in encrypted PKCS#8 files (the only CA key
/// location that needs no token). Each encrypted key costs a PBKDF2 run to write and to open, so
/// tests share stores where they can.
/// </summary>
internal sealed class TestStore : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    private readonly TempDirectory _directory = new();

    public TestStore()
    {
        Store = new CaStore(Path.Combine(_directory.Path, "ca"));
        PassphraseFile = _directory.File("ca.pass", Passphrase + "\n");
    }

    public CaStore Store { get; }

    public string Directory => _directory.Path;

    public string PassphraseFile { get; }

    public static KeyBackends Keys { get; } = new(new KeyBackendOptions(AllowSoftwareKeys: true));

    public CaKeyLocation FileKey => CaKeyLocation.EncryptedFile(SecretSource.FromFile(PassphraseFile));

    public CaCreation CreateRoot(string name = "root", int? pathLength = null, TimeSpan? validity = null, TimeProvider? clock = null,
        KeyAlgorithm algorithm = KeyAlgorithm.EcP256) =>
        CaCreator.CreateRoot(Store, new CaSpecification(name, new X500DistinguishedName($"CN={name} CA, O=DeviceAgent Tests"), algorithm,
            pathLength, validity ?? TimeSpan.FromDays(3650), FileKey), Keys, clock);

    public CaCreation CreateIntermediate(string name, string issuer, int? pathLength = 0, TimeSpan? validity = null,
        KeyAlgorithm algorithm = KeyAlgorithm.EcP256) =>
        CaCreator.CreateIntermediate(Store, new CaSpecification(name, new X500DistinguishedName($"CN={name} CA, O=DeviceAgent Tests"), algorithm,
            pathLength, validity ?? TimeSpan.FromDays(1825), FileKey), issuer, Keys);

    public CertificateAuthority Open(string name, TimeProvider? clock = null) => CertificateAuthority.Open(Store, name, Keys, clock);

    public string File(string name, string contents) => _directory.File(name, contents);

    public string PathOf(params string[] parts) => Path.Combine([_directory.Path, .. parts]);

    /// <summary>A request for <paramref name="commonName"/> signed by a fresh software key of the given kind.</summary>
    public static CertificationRequest Request(string commonName, KeyAlgorithm algorithm = KeyAlgorithm.EcP256)
    {
        using AsymmetricAlgorithm key = algorithm switch
        {
            KeyAlgorithm.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            KeyAlgorithm.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => RSA.Create(algorithm == KeyAlgorithm.Rsa2048 ? 2048 : 3072),
        };
        return CertificationRequest.Create(key, new X500DistinguishedName($"CN={commonName}"));
    }

    public void Dispose() => _directory.Dispose();
}
