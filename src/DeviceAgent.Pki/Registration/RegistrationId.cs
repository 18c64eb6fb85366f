namespace DeviceAgent.Pki.Registration;

/// <summary>
/// A DPS registration id: the name a device registers under, and with X.509 attestation the
/// subject common name of its leaf certificate. Compared without regard to case, as DPS compares
/// them. Immutable.
/// </summary>
/// <remarks>
/// The rules, enforced by <see cref="Parse"/>, with where each comes from:
/// <list type="bullet">
/// <item>Only ASCII letters, digits and the special characters <c>- . _ :</c>; case-insensitive
/// (DPS documentation, "IoT Hub Device Provisioning Service terminology", section Registration ID).</item>
/// <item>Up to 128 characters (same section); with X.509 attestation up to 64, because the id is
/// the certificate's subject CN and ub-common-name is 64 (RFC 5280 Appendix A.1).</item>
/// <item>The last character is a letter, a digit or <c>-</c> (same section), and no special
/// character at the start or the end (DPS REST reference, Runtime Registration - Register
/// Device, api-version 2021-10-01, DeviceRegistration.registrationId). The two sources differ on
/// a trailing <c>-</c>; the stricter rule is applied, so that no DPS front end refuses an id
/// issued here.</item>
/// </list>
/// </remarks>
public sealed class RegistrationId : IEquatable<RegistrationId>
{
    /// <summary>The longest registration id DPS accepts.</summary>
    public const int MaxLength = 128;

    /// <summary>The longest registration id of an X.509 device: ub-common-name (RFC 5280 Appendix A.1).</summary>
    public const int MaxX509Length = 64;

    private const string Source = "DPS registration id rules";

    private RegistrationId(string value) => Value = value;

    /// <summary>The id as written.</summary>
    public string Value { get; }

    /// <summary>Parses a registration id.</summary>
    /// <param name="text">The id.</param>
    /// <param name="x509">True (the default) for an X.509 device, whose id is a certificate CN (64 characters at most).</param>
    /// <exception cref="RegistrationIdException">The id breaks a rule; the message says which and where it comes from.</exception>
    public static RegistrationId Parse(string? text, bool x509 = true) =>
        FindProblem(text, x509) is { } problem ? throw new RegistrationIdException(text ?? "", problem) : new RegistrationId(text!);

    /// <summary>Parses a registration id without throwing.</summary>
    /// <returns>True and the id, or false and the problem.</returns>
    public static bool TryParse(string? text, out RegistrationId? id, out string? problem, bool x509 = true)
    {
        problem = FindProblem(text, x509);
        id = problem is null ? new RegistrationId(text!) : null;
        return problem is null;
    }

    /// <summary>What is wrong with <paramref name="text"/> as a registration id; null when nothing is.</summary>
    public static string? FindProblem(string? text, bool x509 = true)
    {
        if (string.IsNullOrEmpty(text))
            return $"a registration id cannot be empty ({Source})";
        var limit = x509 ? MaxX509Length : MaxLength;
        if (text.Length > limit)
        {
            return x509
                ? FormattableString.Invariant($"it is {text.Length} characters long; an X.509 registration id is the certificate's subject CN, at most {MaxX509Length} characters (RFC 5280 Appendix A.1 ub-common-name; {Source})")
                : FormattableString.Invariant($"it is {text.Length} characters long; DPS accepts at most {MaxLength} ({Source})");
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsAllowed(text[i]))
            {
                return FormattableString.Invariant($"character {i + 1} ('{Printable(text[i])}') is not allowed: only ASCII letters, digits and - . _ : ({Source})");
            }
        }
        if (!char.IsAsciiLetterOrDigit(text[0]))
            return $"it starts with '{text[0]}'; a registration id must start with a letter or a digit ({Source}: no special character at the start)";
        if (!char.IsAsciiLetterOrDigit(text[^1]))
            return $"it ends with '{text[^1]}'; a registration id must end with a letter or a digit ({Source}: no special character at the end)";
        return null;
    }

    /// <summary>True when both name the same registration (case-insensitive).</summary>
    public bool Equals(RegistrationId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RegistrationId);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Case-insensitive equality.</summary>
    public static bool operator ==(RegistrationId? left, RegistrationId? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Case-insensitive inequality.</summary>
    public static bool operator !=(RegistrationId? left, RegistrationId? right) => !(left == right);

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':';

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c)
        ? FormattableString.Invariant($"U+{(int)c:X4}")
        : c.ToString();
}
