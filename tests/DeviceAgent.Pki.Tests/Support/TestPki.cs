using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Pki.Tests.Support;

/// <summary>
/// A root, an intermediate and a device leaf (root -> line CA -> device), made fresh in memory for
/// each test with <c>CertificateRequest</c>; nothing is read from or written to the repository.
/// </summary>
internal sealed class TestPki : IDisposable
{
    /// <summary>The instant tests validate at.</summary>
    public static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public const string DeviceSubject = "CN=device-01";
    public const string LineCaSubject = "CN=Line CA, O=DeviceAgent Tests";

    private readonly List<TestIdentity> _owned = [];

    public TestPki(TestKeyKind kind = TestKeyKind.EcP256, CertificateProfile? intermediate = null, CertificateProfile? leaf = null)
    {
        Root = Own(TestIdentity.Root(kind: kind));
        Intermediate = Own(Root.Issue(LineCaSubject, intermediate ?? CertificateProfile.Ca, kind));
        Leaf = Own(Intermediate.Issue(DeviceSubject, leaf ?? CertificateProfile.Device, kind));
    }

    public TestIdentity Root { get; }

    public TestIdentity Intermediate { get; }

    public TestIdentity Leaf { get; }

    public static ChainBundleValidator Validator => new(new FixedClock(Now));

    /// <summary>Keeps <paramref name="identity"/> alive until the PKI is disposed.</summary>
    public TestIdentity Own(TestIdentity identity)
    {
        _owned.Add(identity);
        return identity;
    }

    public static string Pem(params TestIdentity[] certificates) => string.Concat(certificates.Select(c => c.Pem));

    public static ChainBundle Bundle(params TestIdentity[] certificates) => ChainBundle.Parse(Pem(certificates), "test-chain.pem");

    public X509Certificate2Collection Anchors => [Root.Certificate];

    public void Dispose()
    {
        foreach (var identity in _owned)
            identity.Dispose();
    }
}
