using System.Security.Cryptography;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains.Checks;

public sealed class LeafKeyCheckTests
{
    public static TheoryData<string> Forms => ["public key", "algorithm", "spki"];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Passes_when_the_leaf_carries_the_device_key(string form)
    {
        using var pki = new TestPki();
        var key = Expected(pki.Leaf, form);

        var result = ReportExtensions.Validate(new ChainValidationOptions { LeafKey = key }, pki.Leaf, pki.Intermediate).Check("leaf-key");

        Assert.Equal(ChainCheckStatus.Passed, result.Status);
        Assert.StartsWith("the leaf carries the public key of the token key (EC P-256, SPKI SHA-256 ", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestKeyKind.EcP256, TestKeyKind.EcP256, "EC P-256", "EC P-256")]
    [InlineData(TestKeyKind.EcP384, TestKeyKind.EcP256, "EC P-384", "EC P-256")]
    [InlineData(TestKeyKind.Rsa2048, TestKeyKind.EcP256, "RSA 2048", "EC P-256")]
    public void Fails_when_the_leaf_carries_another_key(TestKeyKind leafKind, TestKeyKind deviceKind, string leafDescription, string deviceDescription)
    {
        using var pki = new TestPki(leafKind);
        using var deviceKey = TestKeys.Create(deviceKind);
        var key = ExpectedLeafKey.FromKey(deviceKey, "the token key");

        var violation = ReportExtensions.Validate(new ChainValidationOptions { LeafKey = key }, pki.Leaf, pki.Intermediate).OnlyViolation("leaf-key");

        Assert.Equal(ChainRule.LeafKeyMatch, violation.Rule);
        Assert.Matches($"^its public key \\({leafDescription}, SPKI SHA-256 [0-9A-F]{{16}}\\) is not the public key of the token key \\({deviceDescription}, SPKI SHA-256 [0-9A-F]{{16}}\\); this chain was issued for another key$",
            violation.Reason);
    }

    [Fact]
    public void Is_skipped_without_a_device_key()
    {
        using var pki = new TestPki();

        var result = ReportExtensions.Validate(pki.Leaf, pki.Intermediate).Check("leaf-key");

        Assert.Equal(ChainCheckStatus.Skipped, result.Status);
    }

    [Fact]
    public void Refuses_bytes_that_are_not_a_subject_public_key_info()
    {
        var e = Assert.Throws<ArgumentException>(() => ExpectedLeafKey.FromSubjectPublicKeyInfo([1, 2, 3], "the token key"));

        Assert.StartsWith("the public key of the token key is not a SubjectPublicKeyInfo", e.Message, StringComparison.Ordinal);
    }

    private static ExpectedLeafKey Expected(TestIdentity leaf, string form) => form switch
    {
        "public key" => ExpectedLeafKey.FromPublicKey(leaf.Certificate.PublicKey, "the token key"),
        "algorithm" => ExpectedLeafKey.FromKey((ECDsa)leaf.Key, "the token key"),
        _ => ExpectedLeafKey.FromSubjectPublicKeyInfo(leaf.Key.ExportSubjectPublicKeyInfo(), "the token key"),
    };
}
