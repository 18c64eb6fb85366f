using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class ClientAuthUsageCheckTests
{
    [Fact]
    public void Fails_a_leaf_without_client_auth()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { ExtendedKeyUsages = [CertificateProfile.ServerAuth] });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).OnlyViolation("client-auth");

        Assert.Equal(ChainRule.LeafClientAuth, violation.Rule);
        Assert.Equal("its extKeyUsage allows serverAuth but not clientAuth (1.3.6.1.5.5.7.3.2), so a TLS server refuses it as a client certificate", violation.Reason);
        Assert.Equal("RFC 5280 4.2.1.12 extKeyUsage id-kp-clientAuth", violation.Citation);
    }

    [Fact]
    public void Refuses_any_extended_key_usage_alone_as_openssl_does()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { ExtendedKeyUsages = [CertificateProfile.AnyExtendedKeyUsage] });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).OnlyViolation("client-auth");

        Assert.Equal(ChainRule.LeafClientAuth, violation.Rule);
    }

    [Fact]
    public void Accepts_a_leaf_without_extended_key_usage()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { ExtendedKeyUsages = null });

        var result = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).Check("client-auth");

        Assert.Equal(ChainCheckStatus.Passed, result.Status);
        Assert.Equal("the leaf has no extKeyUsage, which allows any use, clientAuth included (RFC 5280 4.2.1.12)", result.Summary);
    }

    [Fact]
    public void Accepts_client_auth_among_other_usages()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { ExtendedKeyUsages = [CertificateProfile.ServerAuth, CertificateProfile.ClientAuth] });

        Assert.Equal(ChainCheckStatus.Passed, ReportExtensions.Validate(pki.Leaf, pki.Intermediate).Check("client-auth").Status);
    }

    [Fact]
    public void Fails_an_intermediate_restricted_to_server_auth()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Ca with { ExtendedKeyUsages = [CertificateProfile.ServerAuth] });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate, pki.Root).OnlyViolation("client-auth");

        Assert.Equal(ChainRule.IssuerClientAuth, violation.Rule);
        Assert.Equal(2, violation.Certificate.BundlePosition);
    }
}
