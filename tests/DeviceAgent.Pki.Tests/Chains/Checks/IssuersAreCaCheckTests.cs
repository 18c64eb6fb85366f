using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class IssuersAreCaCheckTests
{
    [Fact]
    public void Fails_an_intermediate_whose_basic_constraints_say_it_is_not_a_ca()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Ca with { CertificateAuthority = false });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate, pki.Root).OnlyViolation("issuers-are-ca");

        Assert.Equal(ChainRule.IssuerIsCa, violation.Rule);
        Assert.Equal(2, violation.Certificate.BundlePosition);
        Assert.Equal($"it issues #1 \"{TestPki.DeviceSubject}\" but its basicConstraints says cA=FALSE: it is not a CA certificate", violation.Reason);
        Assert.Equal("RFC 5280 4.2.1.9 basicConstraints", violation.Citation);
    }

    [Fact]
    public void Fails_an_intermediate_without_basic_constraints()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Ca with { CertificateAuthority = null });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).OnlyViolation("issuers-are-ca");

        Assert.Equal(ChainRule.IssuerIsCa, violation.Rule);
        Assert.Contains("has no basicConstraints extension", violation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_an_intermediate_whose_key_usage_lacks_key_cert_sign()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Ca with { KeyUsage = X509KeyUsageFlags.DigitalSignature });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).OnlyViolation("issuers-are-ca");

        Assert.Equal(ChainRule.IssuerKeyUsage, violation.Rule);
        Assert.Contains("its keyUsage (DigitalSignature) does not include keyCertSign", violation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_a_ca_without_key_usage()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Ca with { KeyUsage = null });

        var report = ReportExtensions.Validate(pki.Leaf, pki.Intermediate, pki.Root);

        Assert.Equal(ChainCheckStatus.Passed, report.Check("issuers-are-ca").Status);
    }
}
