namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// No CA certificate has more intermediate CA certificates below it than its pathLenConstraint
/// allows (RFC 5280 4.2.1.9; counted as RFC 5280 6.1.4 (l) and (m) count them: self-issued
/// intermediates do not count, the leaf does not count).
/// </summary>
internal sealed class PathLengthCheck : IChainCheck
{
    public string Name => "path-length";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        var violations = new List<ChainViolation>();
        for (var i = 1; i < chain.Members.Count; i++)
        {
            var ca = chain.Members[i];
            if (ca.BasicConstraints is not { HasPathLengthConstraint: true } constraints)
                continue;
            var below = chain.Members.Skip(1).Take(i - 1).Where(m => !CertificateSignature.IsSelfIssued(m.Certificate)).ToList();
            if (below.Count <= constraints.PathLengthConstraint)
                continue;
            violations.Add(ca.Violates(ChainRule.PathLength, FormattableString.Invariant(
                $"its pathLenConstraint is {constraints.PathLengthConstraint}, so at most {constraints.PathLengthConstraint} intermediate CA certificate(s) may follow it toward the leaf, ")
                + FormattableString.Invariant($"but {below.Count} do: ") + string.Join(", ", below.Select(m => m.ShortName))));
        }

        return ChainCheckResult.From(Name, violations, "no CA certificate has more intermediates below it than its pathLenConstraint allows");
    }
}
