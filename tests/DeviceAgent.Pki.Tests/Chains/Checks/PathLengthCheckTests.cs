using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class PathLengthCheckTests
{
    [Fact]
    public void Fails_a_root_whose_path_length_allows_no_intermediate()
    {
        using var pki = new TestPki();
        var root = pki.Own(TestIdentity.Root(profile: CertificateProfile.Ca with { PathLength = 0 }));
        var intermediate = pki.Own(root.Issue(TestPki.LineCaSubject, CertificateProfile.Ca));
        var leaf = pki.Own(intermediate.Issue(TestPki.DeviceSubject, CertificateProfile.Device));

        var violation = ReportExtensions.Validate(leaf, intermediate, root).OnlyViolation("path-length");

        Assert.Equal(ChainRule.PathLength, violation.Rule);
        Assert.Equal(CertificateRole.Root, violation.Certificate.Role);
        Assert.Equal(
            $"its pathLenConstraint is 0, so at most 0 intermediate CA certificate(s) may follow it toward the leaf, but 1 do: #2 \"{TestPki.LineCaSubject}\"",
            violation.Reason);
    }

    [Fact]
    public void Fails_an_intermediate_with_too_many_intermediates_below_it()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Ca with { PathLength = 0 });
        var issuing = pki.Own(pki.Intermediate.Issue("CN=Issuing CA", CertificateProfile.Ca));
        var leaf = pki.Own(issuing.Issue(TestPki.DeviceSubject, CertificateProfile.Device));

        var violation = ReportExtensions.Validate(leaf, issuing, pki.Intermediate, pki.Root).OnlyViolation("path-length");

        Assert.Equal(3, violation.Certificate.BundlePosition);
    }

    [Fact]
    public void Passes_path_lengths_that_are_respected()
    {
        using var pki = new TestPki();
        var root = pki.Own(TestIdentity.Root(profile: CertificateProfile.Ca with { PathLength = 1 }));
        var intermediate = pki.Own(root.Issue(TestPki.LineCaSubject, CertificateProfile.Ca with { PathLength = 0 }));
        var leaf = pki.Own(intermediate.Issue(TestPki.DeviceSubject, CertificateProfile.Device));

        var report = ReportExtensions.Validate(leaf, intermediate, root);

        Assert.Equal(ChainCheckStatus.Passed, report.Check("path-length").Status);
    }
}
