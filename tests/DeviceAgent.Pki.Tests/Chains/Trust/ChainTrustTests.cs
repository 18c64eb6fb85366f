using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains.Trust;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Trust;

public sealed class ChainTrustTests
{
    [Fact]
    public void Builds_the_path_from_the_leaf_to_the_anchor()
    {
        using var pki = new TestPki();

        using var result = ChainTrust.Evaluate(pki.Leaf.Certificate, [pki.Intermediate.Certificate], pki.Anchors, TestPki.Now, ChainTrust.ClientAuthentication);

        Assert.True(result.IsTrusted);
        Assert.Empty(result.Problems);
        Assert.Equal(
            [pki.Leaf.Certificate.Thumbprint, pki.Intermediate.Certificate.Thumbprint, pki.Root.Certificate.Thumbprint],
            result.Path.Select(c => c.Thumbprint));
    }

    [Fact]
    public void Reports_an_expired_intermediate_at_its_place_in_the_path()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Expired(CertificateProfile.Ca));

        using var result = ChainTrust.Evaluate(pki.Leaf.Certificate, [pki.Intermediate.Certificate], pki.Anchors, TestPki.Now);

        Assert.False(result.IsTrusted);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(1, problem.PathIndex);
        Assert.Equal(X509ChainStatusFlags.NotTimeValid, problem.Status);
    }

    [Fact]
    public void Trusts_only_the_given_anchors()
    {
        using var pki = new TestPki();
        using var stranger = TestIdentity.Root("CN=Another Root");

        using var result = ChainTrust.Evaluate(pki.Leaf.Certificate, [pki.Intermediate.Certificate, pki.Root.Certificate], [stranger.Certificate], TestPki.Now);

        Assert.False(result.IsTrusted);
        Assert.NotEmpty(result.Problems);
    }

    [Fact]
    public void Does_not_accept_a_server_certificate_where_a_client_one_is_required()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { ExtendedKeyUsages = [CertificateProfile.ServerAuth] });

        using var result = ChainTrust.Evaluate(pki.Leaf.Certificate, [pki.Intermediate.Certificate], pki.Anchors, TestPki.Now, ChainTrust.ClientAuthentication);

        Assert.False(result.IsTrusted);
        Assert.Contains(result.Problems, p => p.Status == X509ChainStatusFlags.NotValidForUsage && p.PathIndex == 0);
    }
}
