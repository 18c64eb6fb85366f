using System.Security.Cryptography;
using DeviceAgent.Pki.Chains.Trust;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// The leaf and the intermediates build, with X509Chain, to one of the caller's trust anchors,
/// as a TLS server holding those anchors would build them (RFC 5280 6.1). The bundle's own root
/// is not trusted for being in the bundle. Skipped when no anchors are given.
/// </summary>
internal sealed class TrustAnchorCheck : IChainCheck
{
    public string Name => "trust";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        if (chain.Options.TrustAnchors is not { Count: > 0 } anchors)
            return ChainCheckResult.Skipped(Name, "no trust anchors were given");
        ChainTrustResult result;
        try
        {
            result = ChainTrust.Evaluate(chain.Leaf.Certificate, chain.Intermediates, anchors, chain.Now, ChainTrust.ClientAuthentication);
        }
        catch (CryptographicException e)
        {
            return ChainCheckResult.From(Name, [chain.Leaf.Violates(ChainRule.TrustAnchor, $"X509Chain could not build a chain ({e.Message})")], "");
        }

        using var owned = result;
        if (result.IsTrusted)
            return ChainCheckResult.Passed(Name, $"the chain builds to the trust anchor \"{result.Path[^1].Subject}\"");
        var violations = result.Problems.Select(p => Violation(chain, p)).ToList();
        return ChainCheckResult.From(Name, violations, "");
    }

    private static ChainViolation Violation(ChainUnderValidation chain, ChainTrustProblem problem)
    {
        var identity = chain.Find(problem.Certificate)?.Identity
            ?? CertificateIdentity.Of(problem.Certificate, 0, problem.PathIndex == 0 ? CertificateRole.Leaf : CertificateRole.Root);
        return new ChainViolation(ChainRule.TrustAnchor, identity, $"X509Chain reports {problem.Status}: {problem.Information}");
    }
}
