using DeviceAgent.Keys.Pkcs11;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeviceAgent.Keys.Tests.Properties;

/// <summary>An object a URI may name: any token and label text (reserved characters, spaces, non-ASCII), any CKA_ID bytes.</summary>
public sealed record UriObject(string Token, string? Label, Pkcs11ObjectType Type, byte[] Id);

/// <summary>Generators of PKCS#11 objects.</summary>
public static class Pkcs11UriArbitraries
{
    // RFC 7512 2.3: pk11-pchar excludes ';', '?', '#', '%', '/' etc.; they must be percent-encoded.
    private static readonly char[] s_characters = "abcXYZ019 -._~:[]@!$&'()*+,=;?#%/\\\"<>\u00e9\u00df\u20ac\u65e5".ToCharArray();

    private static Gen<string> Text(int min) =>
        from length in Gen.Choose(min, 24)
        from chars in Gen.ArrayOf(Gen.Elements(s_characters), length)
        select new string(chars);

    public static Arbitrary<UriObject> UriObjects() =>
        (from token in Text(1)
         from label in Gen.OrNull(Text(0))
         from type in Gen.Elements(Pkcs11ObjectType.Private, Pkcs11ObjectType.Public, Pkcs11ObjectType.Certificate)
         from idLength in Gen.Choose(0, 20)
         from id in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), idLength)
         select new UriObject(token, label, type, id)).ToArbitrary();
}

/// <summary>RFC 7512 encode/parse round trips of <see cref="Pkcs11Uri"/>.</summary>
[Properties(Arbitrary = [typeof(Pkcs11UriArbitraries)], MaxTest = 300)]
public sealed class Pkcs11UriProperties
{
    [Property]
    public bool Formatting_then_parsing_gives_back_every_attribute(UriObject o)
    {
        var uri = Pkcs11Uri.ForObject(o.Token, o.Label, o.Type, o.Id);

        var parsed = Pkcs11Uri.Parse(uri.ToString());

        return parsed.Token == o.Token && parsed.ObjectLabel == o.Label && parsed.Type == o.Type
            && (o.Id.Length == 0 ? parsed.Id is null || parsed.Id.Value.Length == 0 : parsed.Id!.Value.Span.SequenceEqual(o.Id));
    }

    [Property]
    public bool The_text_form_is_a_fixed_point_and_uses_only_RFC_3986_characters(UriObject o)
    {
        var text = Pkcs11Uri.ForObject(o.Token, o.Label, o.Type, o.Id).ToString();

        return Pkcs11Uri.Parse(text).ToString() == text
            && text.StartsWith("pkcs11:", StringComparison.Ordinal)
            && text.All(c => c is > ' ' and < '\u007f' && c is not '"' and not '<' and not '>' and not '\\' and not '#');
    }
}
