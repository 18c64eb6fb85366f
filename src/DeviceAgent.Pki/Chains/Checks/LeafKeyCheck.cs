using System.Security.Cryptography;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// The leaf carries the device key's public key (RFC 5280 4.1.2.7 subjectPublicKeyInfo): otherwise
/// the token's signature in the TLS CertificateVerify (RFC 8446 4.4.3) cannot verify and the
/// handshake fails. Skipped when no key is given.
/// </summary>
internal sealed class LeafKeyCheck : IChainCheck
{
    public string Name => "leaf-key";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        if (chain.Options.LeafKey is not { } expected)
            return ChainCheckResult.Skipped(Name, "no device key was given to compare the leaf's public key with");
        SubjectPublicKey leafKey;
        try
        {
            leafKey = SubjectPublicKey.Of(chain.Leaf.Certificate);
        }
        catch (CryptographicException e)
        {
            return ChainCheckResult.From(Name, [chain.Leaf.Violates(ChainRule.LeafKeyMatch, $"its public key cannot be read ({e.Message})")], "");
        }

        if (leafKey.SameKeyAs(expected.Key))
            return ChainCheckResult.Passed(Name, $"the leaf carries the public key of {expected.Description} ({leafKey.Description})");
        return ChainCheckResult.From(Name, [chain.Leaf.Violates(ChainRule.LeafKeyMatch,
            $"its public key ({leafKey.Description}) is not the public key of {expected.Description} ({expected.Key.Description}); "
            + "this chain was issued for another key")], "");
    }
}
