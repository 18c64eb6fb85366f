using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// The chain may authenticate a TLS client (RFC 5280 4.2.1.12 extKeyUsage, id-kp-clientAuth).
/// </summary>
/// <remarks>
/// Decisions, made to match the TLS servers a device meets (OpenSSL's <c>ssl_client</c> purpose,
/// which <c>openssl s_server</c> applies, and .NET's X509Chain with a clientAuth policy):
/// <list type="bullet">
/// <item>A leaf without extKeyUsage is accepted: RFC 5280 4.2.1.12 leaves its use unrestricted,
/// and DPS, OpenSSL and X509Chain all accept such a leaf.</item>
/// <item>A leaf with extKeyUsage must list clientAuth; anyExtendedKeyUsage alone is refused,
/// because OpenSSL refuses it for the ssl_client purpose.</item>
/// <item>A CA certificate (root included) with extKeyUsage must list clientAuth too: OpenSSL and
/// X509Chain apply extKeyUsage along the whole chain, so such a CA cannot vouch for clients.</item>
/// </list>
/// </remarks>
internal sealed class ClientAuthUsageCheck : IChainCheck
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2"; // RFC 5280 4.2.1.12 id-kp-clientAuth

    public string Name => "client-auth";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        var violations = new List<ChainViolation>();
        var leaf = chain.Leaf;
        if (leaf.ExtendedKeyUsage is { } leafUsage && !AllowsClientAuth(leafUsage))
        {
            violations.Add(leaf.Violates(ChainRule.LeafClientAuth,
                $"its extKeyUsage allows {Describe(leafUsage)} but not clientAuth ({ClientAuth}), so a TLS server refuses it as a client certificate"));
        }

        foreach (var ca in chain.Members.Skip(1))
        {
            if (ca.ExtendedKeyUsage is { } usage && !AllowsClientAuth(usage))
            {
                violations.Add(ca.Violates(ChainRule.IssuerClientAuth,
                    $"its extKeyUsage allows {Describe(usage)} but not clientAuth ({ClientAuth}); TLS servers apply extKeyUsage along the chain, "
                    + "so it cannot vouch for client certificates"));
            }
        }

        var summary = leaf.ExtendedKeyUsage is null
            ? "the leaf has no extKeyUsage, which allows any use, clientAuth included (RFC 5280 4.2.1.12)"
            : "the leaf's extKeyUsage includes clientAuth";
        return ChainCheckResult.From(Name, violations, summary);
    }

    private static bool AllowsClientAuth(X509EnhancedKeyUsageExtension usage) =>
        usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == ClientAuth);

    private static string Describe(X509EnhancedKeyUsageExtension usage)
    {
        var names = usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(ExtendedKeyUsageNames.Of).ToList();
        return names.Count == 0 ? "nothing" : string.Join(", ", names);
    }
}
