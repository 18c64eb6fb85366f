using System.Globalization;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// Every certificate of the bundle, the root included, is within its validity period at the
/// validation time (RFC 5280 4.1.2.5: notBefore and notAfter are both inclusive).
/// </summary>
internal sealed class ValidityPeriodCheck : IChainCheck
{
    public string Name => "validity";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        var now = chain.Now;
        var violations = new List<ChainViolation>();
        foreach (var member in chain.Members)
        {
            var notBefore = new DateTimeOffset(member.Certificate.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(member.Certificate.NotAfter.ToUniversalTime());
            if (now < notBefore)
                violations.Add(member.Violates(ChainRule.NotYetValid, $"it is not valid before {Format(notBefore)} (now {Format(now)})"));
            else if (now > notAfter)
                violations.Add(member.Violates(ChainRule.Expired, $"it expired on {Format(notAfter)} (now {Format(now)})"));
        }

        var first = chain.Members.MinBy(m => m.Certificate.NotAfter.ToUniversalTime())!;
        return ChainCheckResult.From(Name, violations, FormattableString.Invariant(
            $"all {chain.Members.Count} certificate(s) are valid at {Format(now)}; the first to expire is {first.ShortName}, on ")
            + Format(new DateTimeOffset(first.Certificate.NotAfter.ToUniversalTime())));
    }

    private static string Format(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
