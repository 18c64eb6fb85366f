using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Profiles;

namespace Factory.Cli;

/// <summary>Reading option values that need more than parsing: each failure is a <see cref="UsageException"/>.</summary>
internal static class OptionValues
{
    public static X500DistinguishedName Subject(ParseResult parse, Option<string> option)
    {
        try
        {
            return DistinguishedNames.Parse(parse.GetRequiredValue(option));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{option.Name}: {e.Message}", "write a distinguished name with a CN, e.g. --subject \"CN=Contoso Line A CA, O=Contoso\"", e);
        }
    }

    public static KeyAlgorithm KeyType(ParseResult parse, Option<string> option)
    {
        try
        {
            return KeyAlgorithms.Parse(parse.GetRequiredValue(option));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{option.Name}: {e.Message}", "use ec-p256, ec-p384 or rsa-3072", e);
        }
    }

    public static TimeSpan Days(ParseResult parse, Option<int> option, int maximum = 36_500)
    {
        var days = parse.GetValue(option);
        if (days < 1 || days > maximum)
            throw new UsageException($"{option.Name} {days} is out of range 1..{maximum}");
        return TimeSpan.FromDays(days);
    }

    /// <summary>The option <c>--validity</c>: a lifetime with a unit (10m, 36h, 365d), instead of <c>--days</c>.</summary>
    public static Option<string?> ValidityOption(string what) => new("--validity")
    {
        Description = $"validity of the {what} with a unit: s, m, h or d (e.g. 10m, 36h, 365d); instead of --days",
        HelpName = "LIFETIME",
    };

    /// <summary>The lifetime from <paramref name="validity"/> when given, else from <paramref name="days"/>; not both.</summary>
    public static TimeSpan Validity(ParseResult parse, Option<string?> validity, Option<int> days)
    {
        if (parse.GetValue(validity) is not { } text)
            return Days(parse, days);
        if (parse.GetResult(days) is { Implicit: false })
            throw new UsageException($"give the lifetime either with {validity.Name} or with {days.Name}, not both");
        try
        {
            return ValidityPeriod.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{validity.Name}: {e.Message}", "e.g. --validity 10m for a short-lived test leaf, --validity 365d for a year", e);
        }
    }

    public static int? PathLength(ParseResult parse, Option<int?> option)
    {
        var value = parse.GetValue(option);
        if (value is < 0 or > 16)
            throw new UsageException($"{option.Name} {value} is out of range 0..16 (RFC 5280 4.2.1.9 pathLenConstraint: intermediates allowed below the CA)");
        return value;
    }

    /// <summary>The key types CA and device keys may have, as --key-type accepts them.</summary>
    public static string[] KeyTypes { get; } = ["ec-p256", "ec-p384", "rsa-3072"];

    public static Option<string> KeyTypeOption(string what)
    {
        var option = new Option<string>("--key-type")
        {
            Description = $"type of the {what} key when it is generated (an existing token key is used as it is)",
            DefaultValueFactory = _ => "ec-p256",
        };
        option.AcceptOnlyFromAmong(KeyTypes);
        return option;
    }
}
