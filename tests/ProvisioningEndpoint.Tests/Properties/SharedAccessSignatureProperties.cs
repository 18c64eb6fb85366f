using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProvisioningEndpoint.Rest.Auth;

namespace ProvisioningEndpoint.Tests.Properties;

/// <summary>What a token is made from: any resource and policy text, any key, an expiry in range.</summary>
public sealed record TokenParts(string Resource, string KeyName, byte[] Key, DateTimeOffset Expiry);

/// <summary>Generators of token parts.</summary>
public static class SharedAccessSignatureArbitraries
{
    private static readonly char[] s_characters = "abcXYZ019 -._~:/?#[]@!$&'()*+,;=%\u00e9\u20ac".ToCharArray();

    private static Gen<string> Text(int min) =>
        from length in Gen.Choose(min, 40)
        from chars in Gen.ArrayOf(Gen.Elements(s_characters), length)
        select new string(chars);

    public static Arbitrary<TokenParts> Parts() =>
        (from resource in Text(1)
         from keyName in Text(1)
         from keyLength in Gen.Choose(1, 64)
         from key in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), keyLength)
         from seconds in Gen.Choose(1, int.MaxValue)
         select new TokenParts(resource, keyName, key, DateTimeOffset.FromUnixTimeSeconds(seconds))).ToArbitrary();
}

/// <summary>Build, parse and verify of <see cref="SharedAccessSignature"/> as DPS does them.</summary>
[Properties(Arbitrary = [typeof(SharedAccessSignatureArbitraries)], MaxTest = 300)]
public sealed class SharedAccessSignatureProperties
{
    [Property]
    public bool A_token_parses_back_to_its_parts_and_verifies_with_its_key(TokenParts p)
    {
        var token = SharedAccessSignature.Parse(SharedAccessSignature.Create(p.Resource, p.KeyName, p.Key, p.Expiry));

        return token.DecodedResource == p.Resource && token.KeyName == p.KeyName && token.ExpiresUtc == p.Expiry && token.IsSignedWith(p.Key);
    }

    [Property]
    public bool A_token_does_not_verify_with_any_other_key(TokenParts p, byte flip, NonNegativeInt at)
    {
        var other = (byte[])p.Key.Clone();
        other[at.Get % other.Length] ^= (byte)(flip | 1);

        return !SharedAccessSignature.Parse(SharedAccessSignature.Create(p.Resource, p.KeyName, p.Key, p.Expiry)).IsSignedWith(other);
    }

    [Property]
    public bool Changing_the_expiry_or_resource_breaks_the_signature(TokenParts p)
    {
        var token = SharedAccessSignature.Parse(SharedAccessSignature.Create(p.Resource, p.KeyName, p.Key, p.Expiry));

        return !(token with { Expiry = token.Expiry + "0" }).IsSignedWith(p.Key)
            && !(token with { Resource = token.Resource + "x" }).IsSignedWith(p.Key);
    }

    [Property]
    public bool Its_text_form_never_shows_the_signature(TokenParts p)
    {
        var token = SharedAccessSignature.Parse(SharedAccessSignature.Create(p.Resource, p.KeyName, p.Key, p.Expiry));

        return !token.ToString().Contains(token.Signature, StringComparison.Ordinal);
    }

    [Property]
    public bool Parsing_arbitrary_text_throws_only_FormatException(string? text)
    {
        try
        {
            SharedAccessSignature.Parse("SharedAccessSignature " + text);
            return true;
        }
        catch (FormatException)
        {
            return true;
        }
    }
}
