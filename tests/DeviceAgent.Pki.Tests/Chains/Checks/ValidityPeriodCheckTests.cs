using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class ValidityPeriodCheckTests
{
    [Fact]
    public void Fails_an_expired_intermediate()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Expired(CertificateProfile.Ca));

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate, pki.Root).OnlyViolation("validity");

        Assert.Equal(ChainRule.Expired, violation.Rule);
        Assert.Equal(CertificateRole.Intermediate, violation.Certificate.Role);
        Assert.Equal("it expired on 2030-05-31T12:00:00Z (now 2030-06-01T12:00:00Z)", violation.Reason);
        Assert.Equal("RFC 5280 4.1.2.5 validity", violation.Citation);
    }

    [Fact]
    public void Fails_a_leaf_that_is_not_yet_valid()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { NotBefore = TimeSpan.FromHours(1) });

        var violation = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).OnlyViolation("validity");

        Assert.Equal(ChainRule.NotYetValid, violation.Rule);
        Assert.Equal("it is not valid before 2030-06-01T13:00:00Z (now 2030-06-01T12:00:00Z)", violation.Reason);
    }

    [Fact]
    public void Treats_not_after_as_inclusive()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { NotAfter = TimeSpan.Zero });

        var report = ReportExtensions.Validate(pki.Leaf, pki.Intermediate);

        Assert.Equal(ChainCheckStatus.Passed, report.Check("validity").Status);
        Assert.Equal($"all 2 certificate(s) are valid at 2030-06-01T12:00:00Z; the first to expire is #1 \"{TestPki.DeviceSubject}\", on 2030-06-01T12:00:00Z",
            report.Check("validity").Summary);
    }

    [Fact]
    public void Checks_the_root_too()
    {
        using var pki = new TestPki();
        var root = pki.Own(TestIdentity.Root(profile: CertificateProfile.Expired(CertificateProfile.Ca)));
        var leaf = pki.Own(root.Issue(TestPki.DeviceSubject, CertificateProfile.Device));

        var violation = ReportExtensions.Validate(leaf, root).OnlyViolation("validity");

        Assert.Equal(CertificateRole.Root, violation.Certificate.Role);
    }
}
