namespace DeviceAgent.Pki.ProofOfPossession;

/// <summary>
/// A DPS verification code: the value a verification certificate's subject CN must carry to prove
/// possession of a CA's private key. DPS issues it as hex; any letters, digits and '-' up to 64
/// characters are accepted here (it becomes a CN: RFC 5280 Appendix A.1 ub-common-name = 64).
/// Compared without regard to case. Immutable.
/// </summary>
public sealed class VerificationCode
{
    /// <summary>The longest code: ub-common-name (RFC 5280 Appendix A.1).</summary>
    public const int MaxLength = 64;

    private VerificationCode(string value) => Value = value;

    /// <summary>The code as given.</summary>
    public string Value { get; }

    /// <summary>Parses a code.</summary>
    /// <exception cref="ArgumentException">The code is empty, too long, or has characters other than letters, digits and '-'.</exception>
    public static VerificationCode Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            throw new ArgumentException("the verification code is empty; copy it from DPS (Certificates > your CA > Generate Verification Code)", nameof(text));
        if (text.Length > MaxLength)
            throw new ArgumentException(FormattableString.Invariant($"the verification code is {text.Length} characters long; it becomes the certificate's CN, at most {MaxLength} (RFC 5280 Appendix A.1)"), nameof(text));
        if (text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            throw new ArgumentException($"the verification code '{text}' has characters other than letters, digits and '-'; copy it again from DPS", nameof(text));
        return new VerificationCode(text);
    }

    /// <summary>Whether <paramref name="commonName"/> carries this code (case-insensitive).</summary>
    public bool Matches(string? commonName) => string.Equals(Value, commonName, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => Value;
}
