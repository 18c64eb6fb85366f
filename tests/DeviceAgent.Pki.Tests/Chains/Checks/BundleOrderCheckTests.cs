using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class BundleOrderCheckTests
{
    [Theory]
    [InlineData(TestKeyKind.EcP256)]
    [InlineData(TestKeyKind.EcP384)]
    [InlineData(TestKeyKind.Rsa2048)]
    [InlineData(TestKeyKind.Rsa2048Pss)]
    public void Passes_a_bundle_in_order_with_every_key_kind(TestKeyKind kind)
    {
        using var pki = new TestPki(kind);

        var report = ReportExtensions.Validate(pki.Leaf, pki.Intermediate, pki.Root);

        Assert.True(report.IsValid, string.Join("\n", report.Violations.Select(v => v.Message)));
        Assert.Equal(
            $"each certificate is issued by the next: #1 \"{TestPki.DeviceSubject}\" <- #2 \"{TestPki.LineCaSubject}\" <- #3 \"{pki.Root.Certificate.Subject}\"",
            report.Check("order").Summary);
    }

    [Fact]
    public void Says_which_order_a_bundle_out_of_order_should_have()
    {
        using var pki = new TestPki();

        var report = ReportExtensions.Validate(pki.Intermediate, pki.Leaf, pki.Root);

        var violation = report.OnlyViolation("order");
        Assert.Equal(ChainRule.BundleOrder, violation.Rule);
        Assert.Equal(1, violation.Certificate.BundlePosition);
        Assert.Equal(CertificateRole.Intermediate, violation.Certificate.Role);
        Assert.Contains("the bundle is not in order: leaf first, then its issuer", violation.Reason, StringComparison.Ordinal);
        Assert.Contains(
            $"chain in this order: #2 \"{TestPki.DeviceSubject}\", #1 \"{TestPki.LineCaSubject}\", #3 \"{pki.Root.Certificate.Subject}\" (bundle positions 2, 1, 3)",
            violation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Recognises_a_reversed_bundle()
    {
        using var pki = new TestPki();

        var report = ReportExtensions.Validate(pki.Root, pki.Intermediate, pki.Leaf);

        var violation = report.OnlyViolation("order");
        Assert.Contains("(bundle positions 3, 2, 1)", violation.Reason, StringComparison.Ordinal);
        Assert.Equal(CertificateRole.Root, violation.Certificate.Role);
    }

    [Fact]
    public void Runs_the_other_checks_on_the_order_found()
    {
        using var pki = new TestPki();

        var report = ReportExtensions.Validate(pki.Intermediate, pki.Leaf);

        Assert.Equal(["order"], report.Checks.Where(c => c.Status == ChainCheckStatus.Failed).Select(c => c.Name));
    }

    [Fact]
    public void Says_the_issuer_is_missing_when_no_certificate_in_the_bundle_has_its_name()
    {
        using var pki = new TestPki();

        var report = ReportExtensions.Validate(pki.Leaf, pki.Root);

        var violation = report.OnlyViolation("order");
        Assert.Equal(ChainRule.IssuerName, violation.Rule);
        Assert.Equal(CertificateRole.Leaf, violation.Certificate.Role);
        Assert.Equal(
            $"it is issued by \"{TestPki.LineCaSubject}\", but the next certificate is #2 \"{pki.Root.Certificate.Subject}\"; a certificate's issuer must follow it. "
            + "No certificate in the bundle has that subject: its issuer is missing from the bundle",
            violation.Reason);
    }

    [Fact]
    public void Says_when_a_certificate_of_the_issuers_name_did_not_sign_it()
    {
        using var pki = new TestPki();
        var impostor = pki.Own(pki.Root.Issue(TestPki.LineCaSubject, CertificateProfile.Ca));

        var report = ReportExtensions.Validate(pki.Leaf, impostor, pki.Root);

        var violation = report.OnlyViolation("order");
        Assert.Equal(ChainRule.Signature, violation.Rule);
        Assert.Equal(1, violation.Certificate.BundlePosition);
        Assert.Contains($"[SHA-1 thumbprint {impostor.Certificate.Thumbprint}], but its signature does not verify with that certificate's public key (the ECDSA signature does not verify)",
            violation.Reason, StringComparison.Ordinal);
        Assert.Equal("RFC 5280 6.1.3 (a)(1) signature verification", violation.Citation);
    }

    [Fact]
    public void A_leaf_alone_is_in_order()
    {
        using var pki = new TestPki();

        var report = ReportExtensions.Validate(pki.Leaf);

        Assert.Equal(ChainCheckStatus.Passed, report.Check("order").Status);
        Assert.Equal("the bundle holds the leaf only", report.Check("order").Summary);
    }
}
