using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class LeafKeyUsageCheckTests
{
    [Fact]
    public void Fails_a_leaf_whose_key_usage_lacks_digital_signature()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { KeyUsage = X509KeyUsageFlags.KeyEncipherment });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).OnlyViolation("leaf-key-usage");

        Assert.Equal(ChainRule.LeafKeyUsage, violation.Rule);
        Assert.Equal("its keyUsage (KeyEncipherment) does not include digitalSignature, so its key may not sign the TLS handshake", violation.Reason);
    }

    [Fact]
    public void Accepts_a_leaf_without_key_usage()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { KeyUsage = null });

        Assert.Equal(ChainCheckStatus.Passed, ReportExtensions.Validate(pki.Leaf, pki.Intermediate).Check("leaf-key-usage").Status);
    }
}
