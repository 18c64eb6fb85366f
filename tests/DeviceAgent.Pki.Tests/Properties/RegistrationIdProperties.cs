using DeviceAgent.Pki.Chains.Policy;
using DeviceAgent.Pki.Registration;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeviceAgent.Pki.Tests.Properties;

/// <summary>A registration id DPS accepts, built from its rules.</summary>
public sealed record ValidRegistrationId(string Text);

/// <summary>A valid id with one character DPS forbids put at some position.</summary>
public sealed record ForbiddenCharacterId(string Text, int Position);

/// <summary>Generators for the DPS registration id rules.</summary>
public static class RegistrationIdArbitraries
{
    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Specials = "-._:";

    private static Gen<string> ValidText(int maxLength) =>
        from length in Gen.Choose(1, maxLength)
        from first in Gen.Elements(Alphanumerics.ToCharArray())
        from middle in Gen.ArrayOf(Gen.Elements((Alphanumerics + Specials).ToCharArray()), Math.Max(0, length - 2))
        from last in Gen.Elements(Alphanumerics.ToCharArray())
        select length == 1 ? first.ToString() : first + new string(middle) + last;

    public static Arbitrary<ValidRegistrationId> Valid() => ValidText(RegistrationId.MaxX509Length).Select(t => new ValidRegistrationId(t)).ToArbitrary();

    public static Arbitrary<ForbiddenCharacterId> Forbidden() =>
        (from text in ValidText(RegistrationId.MaxX509Length - 1)
         from position in Gen.Choose(0, text.Length)
         from bad in Gen.Elements(" /#%?&=+@!\"'\\\t\n\0éß€\u00a0*,;<>[]{}|~`$^()".ToCharArray())
         select new ForbiddenCharacterId(text.Insert(position, bad.ToString()), position)).ToArbitrary();
}

/// <summary>Invariants of <see cref="RegistrationId"/> and the <see cref="DevicePolicy"/> id rule.</summary>
[Properties(Arbitrary = [typeof(RegistrationIdArbitraries)], MaxTest = 300)]
public sealed class RegistrationIdProperties
{
    [Property]
    public bool An_id_built_from_the_rules_parses_and_keeps_its_text(ValidRegistrationId id) =>
        RegistrationId.Parse(id.Text).Value == id.Text && DevicePolicy.JudgeRegistrationId(id.Text) is null;

    [Property]
    public bool Ids_compare_without_regard_to_case_with_equal_hash_codes(ValidRegistrationId id)
    {
        var lower = RegistrationId.Parse(id.Text.ToLowerInvariant());
        var upper = RegistrationId.Parse(id.Text.ToUpperInvariant());
        return lower == upper && lower.GetHashCode() == upper.GetHashCode();
    }

    [Property]
    public bool A_forbidden_character_anywhere_is_refused_naming_its_position(ForbiddenCharacterId id)
    {
        var problem = RegistrationId.FindProblem(id.Text);
        return problem is not null
            && !RegistrationId.TryParse(id.Text, out _, out _)
            && (problem.Contains(FormattableString.Invariant($"character {id.Position + 1} "), StringComparison.Ordinal)
                || problem.Contains("starts with", StringComparison.Ordinal) || problem.Contains("ends with", StringComparison.Ordinal));
    }

    [Property]
    public bool A_special_character_at_either_end_is_refused(ValidRegistrationId id, bool atStart)
    {
        foreach (var special in "-._:")
        {
            var text = atStart ? special + id.Text : id.Text + special;
            if (text.Length <= RegistrationId.MaxX509Length && RegistrationId.FindProblem(text) is null)
                return false;
        }
        return true;
    }

    [Property]
    public bool Longer_than_64_is_refused_for_X509_and_longer_than_128_always(ValidRegistrationId id, PositiveInt extra)
    {
        var text = id.Text + new string('a', RegistrationId.MaxX509Length - id.Text.Length + (extra.Get % 100) + 1);
        var longest = new string('a', RegistrationId.MaxLength + 1);
        return RegistrationId.FindProblem(text) is not null
            && (text.Length > RegistrationId.MaxLength || RegistrationId.FindProblem(text, x509: false) is null)
            && RegistrationId.FindProblem(longest, x509: false) is not null;
    }
}
