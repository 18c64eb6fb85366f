using System.Globalization;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// The bundle lists the leaf first, then its issuer, then that certificate's issuer, and so on:
/// the order TLS sends them in (RFC 8446 4.4.2, RFC 5246 7.4.2), where each certificate is issued
/// by the next: issuer name (RFC 5280 6.1.3 (a)(4)) and signature (RFC 5280 6.1.3 (a)(1)). When
/// the certificates chain in another order, that order is named; when they do not chain at all,
/// each broken link is.
/// </summary>
internal sealed class BundleOrderCheck : IChainCheck
{
    public string Name => "order";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        if (chain.Ordering.BundleIsInOrder)
        {
            var summary = chain.Members.Count == 1
                ? "the bundle holds the leaf only"
                : "each certificate is issued by the next: " + string.Join(" <- ", chain.Members.Select(m => m.ShortName));
            return ChainCheckResult.Passed(Name, summary);
        }

        return ChainCheckResult.From(Name, chain.Ordering.ChainOrder is null ? BrokenLinks(chain) : [OutOfOrder(chain)], "");
    }

    // RFC 8446 4.4.2: each following certificate SHOULD directly certify the one immediately preceding it.
    private static ChainViolation OutOfOrder(ChainUnderValidation chain)
    {
        var firstBreak = FirstBreak(chain);
        var order = string.Join(", ", chain.Members.Select(m => m.ShortName));
        var positions = string.Join(", ", chain.Members.Select(m => m.Identity.BundlePosition.ToString(CultureInfo.InvariantCulture)));
        return chain.InBundleOrder[firstBreak].Violates(ChainRule.BundleOrder,
            "the bundle is not in order: leaf first, then its issuer, then that certificate's issuer, and so on. "
            + $"Its certificates chain in this order: {order} (bundle positions {positions}); rewrite the bundle in that order");
    }

    private static List<ChainViolation> BrokenLinks(ChainUnderValidation chain)
    {
        var violations = new List<ChainViolation>();
        var members = chain.InBundleOrder;
        for (var i = 0; i < members.Count - 1; i++)
        {
            if (chain.Ordering.IsIssuedBy(i, i + 1))
                continue;
            var (subject, next) = (members[i], members[i + 1]);
            if (!CertificateSignature.NamesChain(subject.Certificate, next.Certificate))
            {
                violations.Add(subject.Violates(ChainRule.IssuerName,
                    $"it is issued by \"{subject.Certificate.Issuer}\", but the next certificate is {next.ShortName}; "
                    + "a certificate's issuer must follow it. " + WhereIsIssuer(chain, i)));
                continue;
            }

            var signature = CertificateSignature.Verify(subject.Certificate, next.Certificate);
            violations.Add(subject.Violates(ChainRule.Signature,
                $"its issuer name is the subject of the next certificate, {next.ShortName} [SHA-1 thumbprint {next.Identity.Thumbprint}], "
                + $"but its signature does not verify with that certificate's public key ({signature.Problem}): "
                + "another CA of the same name issued it"));
        }

        return violations;
    }

    private static string WhereIsIssuer(ChainUnderValidation chain, int subject)
    {
        var members = chain.InBundleOrder;
        var named = Enumerable.Range(0, members.Count)
            .Where(j => j != subject && CertificateSignature.NamesChain(members[subject].Certificate, members[j].Certificate))
            .ToList();
        if (named.Count == 0)
            return "No certificate in the bundle has that subject: its issuer is missing from the bundle";
        var issuer = named.FirstOrDefault(j => chain.Ordering.IsIssuedBy(subject, j), -1);
        return issuer >= 0
            ? $"Its issuer is {members[issuer].ShortName}"
            : $"{members[named[0]].ShortName} has that subject, but its key did not sign this certificate: the real issuer is missing";
    }

    private static int FirstBreak(ChainUnderValidation chain)
    {
        for (var i = 0; i < chain.InBundleOrder.Count - 1; i++)
        {
            if (!chain.Ordering.IsIssuedBy(i, i + 1))
                return i;
        }

        return 0;
    }
}
