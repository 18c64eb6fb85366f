using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Renewal;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Tests.Renewal;

public sealed class IssuedChainCheckTests : IDisposable
{
    private readonly TestCa _root = TestCa.CreateRoot("Renewal Root");
    private readonly TestCa _issuer;
    private readonly ECDsa _newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public IssuedChainCheckTests() => _issuer = _root.IssueIntermediate("Renewal Issuer");

    [Fact]
    public void A_chain_for_this_device_and_the_new_key_that_builds_to_the_root_is_accepted()
    {
        using var leaf = _issuer.IssueLeaf("device-1", _newKey.ExportSubjectPublicKeyInfo());

        using var bundle = IssuedChainCheck.Check(Chain(leaf), "device-1", PublicKeyOf(_newKey), Anchors(), new ChainBundleValidator());

        Assert.Equal(leaf.Thumbprint, bundle.Leaf.Thumbprint);
        Assert.Equal(_issuer.Certificate.Thumbprint, Assert.Single(bundle.Intermediates).Thumbprint);
    }

    [Fact]
    public void A_leaf_for_another_registration_id_is_refused()
    {
        using var leaf = _issuer.IssueLeaf("device-2", _newKey.ExportSubjectPublicKeyInfo());

        var e = Assert.Throws<ChainValidationException>(() => IssuedChainCheck.Check(Chain(leaf), "device-1", PublicKeyOf(_newKey), Anchors(), new ChainBundleValidator()));

        Assert.Contains("subject CN is 'device-2', not this device's registration id 'device-1'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_for_another_key_is_refused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = _issuer.IssueLeaf("device-1", other.ExportSubjectPublicKeyInfo());

        Assert.Throws<ChainValidationException>(() => IssuedChainCheck.Check(Chain(leaf), "device-1", PublicKeyOf(_newKey), Anchors(), new ChainBundleValidator()));
    }

    [Fact]
    public void A_chain_to_a_root_the_device_does_not_trust_is_refused()
    {
        using var stranger = TestCa.CreateRoot("Stranger Root");
        using var leaf = stranger.IssueLeaf("device-1", _newKey.ExportSubjectPublicKeyInfo());

        Assert.Throws<ChainValidationException>(() => IssuedChainCheck.Check([Convert.ToBase64String(leaf.RawData)], "device-1", PublicKeyOf(_newKey), Anchors(), new ChainBundleValidator()));
    }

    [Fact]
    public void No_chain_or_a_chain_that_is_not_base64_DER_is_refused()
    {
        Assert.Contains("without issuedCertificateChain", Assert.Throws<ChainValidationException>(
            () => IssuedChainCheck.Check(null, "device-1", PublicKeyOf(_newKey), Anchors(), new ChainBundleValidator())).Message, StringComparison.Ordinal);
        Assert.Contains("not base64 DER", Assert.Throws<ChainValidationException>(
            () => IssuedChainCheck.Check(["%%%"], "device-1", PublicKeyOf(_newKey), Anchors(), new ChainBundleValidator())).Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _newKey.Dispose();
        _issuer.Dispose();
        _root.Dispose();
    }

    private string[] Chain(X509Certificate2 leaf) => [Convert.ToBase64String(leaf.RawData), Convert.ToBase64String(_issuer.Certificate.RawData)];

    private X509Certificate2Collection Anchors() => [X509CertificateLoader.LoadCertificate(_root.Certificate.RawData)];

    private static PublicKey PublicKeyOf(ECDsa key) => PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
}
