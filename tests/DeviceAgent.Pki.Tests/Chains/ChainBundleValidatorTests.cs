using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains;

/// <summary>The bad chains of issue 2, each refused with its own rule, certificate and message.</summary>
public sealed class ChainBundleValidatorTests
{
    [Fact]
    public void Accepts_a_good_chain_that_matches_the_key_and_builds_to_the_root()
    {
        using var pki = new TestPki();
        using var bundle = TestPki.Bundle(pki.Leaf, pki.Intermediate, pki.Root);
        var options = new ChainValidationOptions { LeafKey = ExpectedLeafKey.FromKey(pki.Leaf.Key, "the token key"), TrustAnchors = pki.Anchors };

        var report = TestPki.Validator.Validate(bundle, options);
        TestPki.Validator.ValidateOrThrow(bundle, options);

        Assert.True(report.IsValid);
        Assert.Equal(ChainBundleValidator.CheckNames, report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.Equal(ChainCheckStatus.Passed, c.Status));
        Assert.Equal(TestPki.Now, report.ValidationTime);
    }

    [Fact]
    public void Refuses_a_chain_in_the_wrong_order()
    {
        using var pki = new TestPki();
        using var bundle = TestPki.Bundle(pki.Intermediate, pki.Leaf);

        var e = Assert.Throws<ChainValidationException>(() => TestPki.Validator.ValidateOrThrow(bundle));

        Assert.Equal(ChainRule.BundleOrder, e.Rule);
        Assert.Equal(pki.Intermediate.Certificate.Thumbprint, e.Certificate?.Thumbprint);
        Assert.Equal(
            $"chain bundle 'test-chain.pem': certificate #1 (intermediate) \"{TestPki.LineCaSubject}\" [SHA-1 thumbprint {pki.Intermediate.Certificate.Thumbprint}]: "
            + "the bundle is not in order: leaf first, then its issuer, then that certificate's issuer, and so on. "
            + $"Its certificates chain in this order: #2 \"{TestPki.DeviceSubject}\", #1 \"{TestPki.LineCaSubject}\" (bundle positions 2, 1); rewrite the bundle in that order "
            + "[BundleOrder: RFC 8446 4.4.2 / RFC 5246 7.4.2 certificate_list order]",
            e.Message);
    }

    [Fact]
    public void Refuses_a_chain_whose_leaf_does_not_match_the_key()
    {
        using var pki = new TestPki();
        using var tokenKey = TestKeys.Create(TestKeyKind.EcP256);
        using var bundle = TestPki.Bundle(pki.Leaf, pki.Intermediate);

        var e = Assert.Throws<ChainValidationException>(() => TestPki.Validator.ValidateOrThrow(bundle,
            new ChainValidationOptions { LeafKey = ExpectedLeafKey.FromKey(tokenKey, "the token key pkcs11:token=device;object=identity") }));

        Assert.Equal(ChainRule.LeafKeyMatch, e.Rule);
        Assert.Equal(CertificateRole.Leaf, e.Certificate?.Role);
        Assert.Contains("is not the public key of the token key pkcs11:token=device;object=identity", e.Message, StringComparison.Ordinal);
        Assert.Single(e.Violations);
    }

    [Fact]
    public void Refuses_a_chain_with_an_expired_intermediate()
    {
        using var pki = new TestPki(intermediate: CertificateProfile.Expired(CertificateProfile.Ca));
        using var bundle = TestPki.Bundle(pki.Leaf, pki.Intermediate, pki.Root);

        var e = Assert.Throws<ChainValidationException>(() => TestPki.Validator.ValidateOrThrow(bundle));

        Assert.Equal(ChainRule.Expired, e.Rule);
        Assert.Equal("RFC 5280 4.1.2.5 validity", e.Citation);
        Assert.Equal(TestPki.LineCaSubject, e.Certificate?.Subject);
        Assert.Equal(pki.Intermediate.Certificate.Thumbprint, e.Certificate?.Thumbprint);
        Assert.Equal(pki.Intermediate.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), e.Certificate?.Sha256Thumbprint);
        Assert.Equal(
            $"chain bundle 'test-chain.pem': certificate #2 (intermediate) \"{TestPki.LineCaSubject}\" [SHA-1 thumbprint {pki.Intermediate.Certificate.Thumbprint}]: "
            + "it expired on 2030-05-31T12:00:00Z (now 2030-06-01T12:00:00Z) [Expired: RFC 5280 4.1.2.5 validity]",
            e.Message);
    }

    [Fact]
    public void Refuses_a_leaf_without_client_auth()
    {
        using var pki = new TestPki(leaf: CertificateProfile.Device with { ExtendedKeyUsages = [CertificateProfile.ServerAuth] });
        using var bundle = TestPki.Bundle(pki.Leaf, pki.Intermediate);

        var e = Assert.Throws<ChainValidationException>(() => TestPki.Validator.ValidateOrThrow(bundle));

        Assert.Equal(ChainRule.LeafClientAuth, e.Rule);
        Assert.Equal(TestPki.DeviceSubject, e.Certificate?.Subject);
        Assert.EndsWith("[LeafClientAuth: RFC 5280 4.2.1.12 extKeyUsage id-kp-clientAuth]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_every_problem_and_throws_for_the_first()
    {
        using var pki = new TestPki(
            intermediate: CertificateProfile.Expired(CertificateProfile.Ca),
            leaf: CertificateProfile.Device with { ExtendedKeyUsages = [CertificateProfile.ServerAuth] });
        using var bundle = TestPki.Bundle(pki.Leaf, pki.Intermediate);

        var report = TestPki.Validator.Validate(bundle);
        var e = Assert.Throws<ChainValidationException>(report.ThrowIfInvalid);

        Assert.False(report.IsValid);
        Assert.Equal([ChainRule.Expired, ChainRule.LeafClientAuth], report.Violations.Select(v => v.Rule));
        Assert.Equal(report.Violations, e.Violations);
        Assert.EndsWith("(and 1 more problem)", e.Message, StringComparison.Ordinal);
        Assert.Equal(["validity", "client-auth"], report.Checks.Where(c => c.Status == ChainCheckStatus.Failed).Select(c => c.Name));
        Assert.Equal(["leaf-key", "trust"], report.Checks.Where(c => c.Status == ChainCheckStatus.Skipped).Select(c => c.Name));
    }

    [Fact]
    public void Uses_the_clock_it_is_given()
    {
        using var pki = new TestPki();
        using var bundle = TestPki.Bundle(pki.Leaf, pki.Intermediate);
        var later = new ChainBundleValidator(new FixedClock(TestPki.Now.AddYears(2)));

        var report = later.Validate(bundle);

        Assert.Equal([ChainRule.Expired, ChainRule.Expired], report.Violations.Select(v => v.Rule));
    }
}
