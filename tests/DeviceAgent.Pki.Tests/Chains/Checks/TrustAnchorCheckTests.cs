using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class TrustAnchorCheckTests
{
    [Fact]
    public void Passes_a_chain_that_builds_to_the_anchor()
    {
        using var pki = new TestPki();

        var result = ReportExtensions.Validate(new ChainValidationOptions { TrustAnchors = pki.Anchors }, pki.Leaf, pki.Intermediate).Check("trust");

        Assert.Equal(ChainCheckStatus.Passed, result.Status);
        Assert.Equal($"the chain builds to the trust anchor \"{pki.Root.Certificate.Subject}\"", result.Summary);
    }

    [Fact]
    public void Does_not_trust_the_bundles_own_root()
    {
        using var pki = new TestPki();
        using var stranger = TestIdentity.Root("CN=Another Root");

        var report = ReportExtensions.Validate(new ChainValidationOptions { TrustAnchors = [stranger.Certificate] }, pki.Leaf, pki.Intermediate, pki.Root);

        var result = report.Check("trust");
        Assert.Equal(ChainCheckStatus.Failed, result.Status);
        Assert.All(result.Violations, v => Assert.Equal(ChainRule.TrustAnchor, v.Rule));
        Assert.Contains(result.Violations, v => v.Reason.Contains(nameof(X509ChainStatusFlags.PartialChain), StringComparison.Ordinal)
            || v.Reason.Contains(nameof(X509ChainStatusFlags.UntrustedRoot), StringComparison.Ordinal));
    }

    [Fact]
    public void Fails_a_leaf_sent_without_its_intermediate()
    {
        using var pki = new TestPki();

        var violation = ReportExtensions.Validate(new ChainValidationOptions { TrustAnchors = pki.Anchors }, pki.Leaf).OnlyViolation("trust");

        Assert.Equal(CertificateRole.Leaf, violation.Certificate.Role);
        Assert.StartsWith($"X509Chain reports {nameof(X509ChainStatusFlags.PartialChain)}", violation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_skipped_without_anchors()
    {
        using var pki = new TestPki();

        Assert.Equal(ChainCheckStatus.Skipped, ReportExtensions.Validate(pki.Leaf, pki.Intermediate).Check("trust").Status);
    }
}
