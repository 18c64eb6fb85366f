using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains;

public sealed class CertificateSignatureTests
{
    [Theory]
    [InlineData(TestKeyKind.EcP256)]
    [InlineData(TestKeyKind.EcP384)]
    [InlineData(TestKeyKind.Rsa2048)]
    [InlineData(TestKeyKind.Rsa2048Pss)]
    public void Verifies_a_certificate_with_its_issuers_key(TestKeyKind kind)
    {
        using var pki = new TestPki(kind);

        Assert.True(CertificateSignature.Verify(pki.Leaf.Certificate, pki.Intermediate.Certificate).IsValid);
        Assert.True(CertificateSignature.IsIssuedBy(pki.Intermediate.Certificate, pki.Root.Certificate));
        Assert.True(CertificateSignature.IsSelfSigned(pki.Root.Certificate));
        Assert.False(CertificateSignature.IsSelfSigned(pki.Intermediate.Certificate));
    }

    [Fact]
    public void Does_not_verify_with_another_key_of_the_same_kind()
    {
        using var pki = new TestPki();

        var verification = CertificateSignature.Verify(pki.Leaf.Certificate, pki.Root.Certificate);

        Assert.False(verification.IsValid);
        Assert.Equal("the ECDSA signature does not verify", verification.Problem);
    }

    [Fact]
    public void Says_when_the_issuer_key_is_of_another_kind()
    {
        using var ec = new TestPki(TestKeyKind.EcP256);
        using var rsa = new TestPki(TestKeyKind.Rsa2048);

        var verification = CertificateSignature.Verify(ec.Leaf.Certificate, rsa.Intermediate.Certificate);

        Assert.Equal("it is signed with ECDSA but the issuer's key is not an EC key", verification.Problem);
    }

    [Fact]
    public void Does_not_take_a_matching_name_for_an_issuer()
    {
        using var pki = new TestPki();
        var impostor = pki.Own(pki.Root.Issue(TestPki.LineCaSubject, CertificateProfile.Ca));

        Assert.True(CertificateSignature.NamesChain(pki.Leaf.Certificate, impostor.Certificate));
        Assert.False(CertificateSignature.IsIssuedBy(pki.Leaf.Certificate, impostor.Certificate));
    }
}
