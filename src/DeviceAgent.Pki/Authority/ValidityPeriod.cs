using System.Globalization;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// A certificate lifetime written with a unit: <c>90s</c>, <c>10m</c>, <c>36h</c>, <c>365d</c>
/// (seconds, minutes, hours, days). Short lifetimes exist for tests and demos of renewal; the
/// shortest accepted is one minute, since a certificate starts <see cref="ValidityWindow.Backdate"/>
/// in the past and carries whole seconds (RFC 5280 4.1.2.5).
/// </summary>
public static class ValidityPeriod
{
    /// <summary>The shortest lifetime accepted.</summary>
    public static TimeSpan Minimum { get; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest lifetime accepted (100 years).</summary>
    public static TimeSpan Maximum { get; } = TimeSpan.FromDays(36_500);

    /// <summary>Parses a lifetime such as <c>10m</c>.</summary>
    /// <exception cref="FormatException">No number, no or an unknown unit, or out of <see cref="Minimum"/>..<see cref="Maximum"/>; the message says which.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var validity, out var problem) ? validity : throw new FormatException(problem);
    }

    /// <summary>Parses a lifetime; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out TimeSpan validity, out string? problem)
    {
        validity = default;
        var value = text?.Trim() ?? "";
        if (value.Length < 2)
        {
            problem = $"'{text}' is not a lifetime: write a whole number and a unit, e.g. 10m, 36h or 365d";
            return false;
        }
        var unit = char.ToLowerInvariant(value[^1]);
        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            problem = $"'{text}' is not a lifetime: write a whole number and a unit, e.g. 10m, 36h or 365d";
            return false;
        }
        long? seconds = unit switch
        {
            's' => count,
            'm' => count * 60,
            'h' => count * 3600,
            'd' => count * 86_400,
            _ => null,
        };
        if (seconds is null || count > (long)Maximum.TotalSeconds)
        {
            problem = seconds is null
                ? $"'{text}' has an unknown unit '{value[^1]}': use s (seconds), m (minutes), h (hours) or d (days)"
                : $"'{text}' is longer than {Format(Maximum)}";
            return false;
        }
        validity = TimeSpan.FromSeconds(seconds.Value);
        if (validity < Minimum || validity > Maximum)
        {
            problem = $"'{text}' is out of range {Format(Minimum)}..{Format(Maximum)}";
            return false;
        }
        problem = null;
        return true;
    }

    /// <summary>The lifetime in its largest exact unit: <c>365d</c>, <c>36h</c>, <c>10m</c>, <c>90s</c>.</summary>
    public static string Format(TimeSpan validity)
    {
        var seconds = (long)validity.TotalSeconds;
        return seconds % 86_400 == 0 ? Invariant(seconds / 86_400, 'd')
            : seconds % 3600 == 0 ? Invariant(seconds / 3600, 'h')
            : seconds % 60 == 0 ? Invariant(seconds / 60, 'm')
            : Invariant(seconds, 's');
    }

    private static string Invariant(long count, char unit) => count.ToString(CultureInfo.InvariantCulture) + unit;
}
