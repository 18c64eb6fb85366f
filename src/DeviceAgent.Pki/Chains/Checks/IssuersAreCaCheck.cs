using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// Every certificate above the leaf is a CA certificate: basicConstraints with cA TRUE
/// (RFC 5280 4.2.1.9, 6.1.4 (k)) and, when keyUsage is present, keyCertSign (RFC 5280 4.2.1.3,
/// 6.1.4 (n)). A version 1 root is accepted as a trust anchor (it cannot carry extensions; RFC
/// 5280 6.1.4 (k) applies to intermediates), as OpenSSL and X509Chain accept it.
/// </summary>
internal sealed class IssuersAreCaCheck : IChainCheck
{
    public string Name => "issuers-are-ca";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        var violations = new List<ChainViolation>();
        for (var i = 1; i < chain.Members.Count; i++)
        {
            var (issuer, issued) = (chain.Members[i], chain.Members[i - 1]);
            var issues = $"it issues {issued.ShortName}";
            if (issuer.BasicConstraints is null)
            {
                if (issuer.Identity.Role != CertificateRole.Root || issuer.Certificate.Version != 1)
                    violations.Add(issuer.Violates(ChainRule.IssuerIsCa, $"{issues} but has no basicConstraints extension, so it is not a CA certificate"));
            }
            else if (!issuer.BasicConstraints.CertificateAuthority)
            {
                violations.Add(issuer.Violates(ChainRule.IssuerIsCa, $"{issues} but its basicConstraints says cA=FALSE: it is not a CA certificate"));
            }

            if (issuer.KeyUsage is { } usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
            {
                violations.Add(issuer.Violates(ChainRule.IssuerKeyUsage,
                    $"{issues} but its keyUsage ({usage.KeyUsages}) does not include keyCertSign"));
            }
        }

        var count = chain.Members.Count - 1;
        return ChainCheckResult.From(Name, violations, count == 0
            ? "no issuing certificates in the bundle (the leaf only)"
            : FormattableString.Invariant($"{count} issuing certificate(s), all CA certificates allowed to sign certificates"));
    }
}
