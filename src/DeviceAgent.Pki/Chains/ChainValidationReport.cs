namespace DeviceAgent.Pki.Chains;

/// <summary>The named checks of one chain validation, each passed, failed or skipped.</summary>
/// <param name="SourceName">The chain's name (the bundle path).</param>
/// <param name="ValidationTime">The instant validity periods were checked against.</param>
/// <param name="Checks">The checks, in the order they ran.</param>
public sealed record ChainValidationReport(string SourceName, DateTimeOffset ValidationTime, IReadOnlyList<ChainCheckResult> Checks)
{
    /// <summary>True when no check failed (skipped checks do not count against the chain).</summary>
    public bool IsValid => Checks.All(c => c.Status != ChainCheckStatus.Failed);

    /// <summary>Every broken rule, check by check.</summary>
    public IReadOnlyList<ChainViolation> Violations => [.. Checks.SelectMany(c => c.Violations)];

    /// <summary>Does nothing when the chain is valid.</summary>
    /// <exception cref="ChainValidationException">A check failed; raised for the first broken rule.</exception>
    public void ThrowIfInvalid()
    {
        var violations = Violations;
        if (violations.Count > 0)
            throw new ChainValidationException(SourceName, violations);
    }
}
