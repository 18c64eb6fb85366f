namespace DeviceAgent.Pki.Chains;

/// <summary>
/// A chain breaks a rule: the exception names the certificate (subject, SHA-1 thumbprint as DPS
/// shows it, SHA-256 thumbprint, position in the bundle) and the rule with its citation. When
/// several rules are broken, it is raised for the first and <see cref="Violations"/> holds all.
/// </summary>
public sealed class ChainValidationException : Exception
{
    /// <summary>Creates an exception with no details (<see cref="Rule"/> is <see cref="ChainRule.Unspecified"/>).</summary>
    public ChainValidationException()
    {
    }

    /// <summary>Creates an exception with a message and no details.</summary>
    public ChainValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message, a cause and no details.</summary>
    public ChainValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Raises the first of <paramref name="violations"/> for the chain named <paramref name="sourceName"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="violations"/> is empty.</exception>
    public ChainValidationException(string sourceName, IReadOnlyList<ChainViolation> violations)
        : base(MessageFor(sourceName, violations))
    {
        Violations = violations;
        SourceName = sourceName;
        Rule = violations[0].Rule;
        Certificate = violations[0].Certificate;
    }

    /// <summary>The chain's name (the bundle path, or what the caller called it).</summary>
    public string? SourceName { get; }

    /// <summary>The first rule broken.</summary>
    public ChainRule Rule { get; }

    /// <summary>The specification the first broken rule comes from, e.g. "RFC 5280 4.2.1.9 basicConstraints".</summary>
    public string Citation => ChainRules.Citation(Rule);

    /// <summary>The certificate that breaks the first rule.</summary>
    public CertificateIdentity? Certificate { get; }

    /// <summary>Every rule broken, in the order the checks found them.</summary>
    public IReadOnlyList<ChainViolation> Violations { get; } = [];

    private static string MessageFor(string sourceName, IReadOnlyList<ChainViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(violations);
        if (violations.Count == 0)
            throw new ArgumentException("at least one violation is needed", nameof(violations));
        var more = violations.Count switch
        {
            1 => "",
            2 => " (and 1 more problem)",
            _ => FormattableString.Invariant($" (and {violations.Count - 1} more problems)"),
        };
        return $"chain bundle '{sourceName}': {violations[0].Message}{more}";
    }
}
