using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// When the leaf has a keyUsage, it includes digitalSignature (RFC 5280 4.2.1.3): the device key
/// signs the TLS CertificateVerify (RFC 8446 4.4.3). No keyUsage allows every use.
/// </summary>
internal sealed class LeafKeyUsageCheck : IChainCheck
{
    public string Name => "leaf-key-usage";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        var leaf = chain.Leaf;
        if (leaf.KeyUsage is null)
            return ChainCheckResult.Passed(Name, "the leaf has no keyUsage extension, which allows digital signatures");
        if (leaf.KeyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
            return ChainCheckResult.Passed(Name, $"the leaf's keyUsage ({leaf.KeyUsage.KeyUsages}) includes digitalSignature");
        return ChainCheckResult.From(Name, [leaf.Violates(ChainRule.LeafKeyUsage,
            $"its keyUsage ({leaf.KeyUsage.KeyUsages}) does not include digitalSignature, so its key may not sign the TLS handshake")], "");
    }
}
