using System.Security.Cryptography;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains;

public sealed class CertificateIdentityTests
{
    [Fact]
    public void Names_a_certificate_by_subject_and_thumbprints_as_dps_shows_them()
    {
        using var pki = new TestPki();

        var identity = CertificateIdentity.Of(pki.Leaf.Certificate, 1, CertificateRole.Leaf);

        Assert.Equal(TestPki.DeviceSubject, identity.Subject);
        Assert.Equal(pki.Leaf.Certificate.Thumbprint, identity.Thumbprint); // X509Certificate.Thumbprint is the SHA-1 hex DPS shows
        Assert.Equal(Convert.ToHexString(SHA256.HashData(pki.Leaf.Certificate.RawData)), identity.Sha256Thumbprint);
        Assert.Equal($"certificate #1 (leaf) \"CN=device-01\" [SHA-1 thumbprint {identity.Thumbprint}]", identity.ToString());
    }
}
