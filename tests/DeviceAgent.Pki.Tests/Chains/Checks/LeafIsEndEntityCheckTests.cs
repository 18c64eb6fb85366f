using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class LeafIsEndEntityCheckTests
{
    [Fact]
    public void Fails_a_leaf_that_is_a_ca()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { CertificateAuthority = true });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).OnlyViolation("leaf-end-entity");

        Assert.Equal(ChainRule.LeafIsCa, violation.Rule);
        Assert.Equal(CertificateRole.Leaf, violation.Certificate.Role);
    }

    [Fact]
    public void Accepts_a_leaf_without_basic_constraints()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { CertificateAuthority = null });

        Assert.Equal(ChainCheckStatus.Passed, ReportExtensions.Validate(pki.Leaf, pki.Intermediate).Check("leaf-end-entity").Status);
    }
}
