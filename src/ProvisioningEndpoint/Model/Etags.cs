using System.Security.Cryptography;

namespace ProvisioningEndpoint.Model;

/// <summary>Entity tags: opaque, quoted, new on every update.</summary>
public static class Etags
{
    /// <summary>A fresh etag.</summary>
    public static string New() => "\"" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + "\"";

    /// <summary>True when <paramref name="ifMatch"/> is absent, <c>*</c>, or equals <paramref name="current"/> (quotes optional).</summary>
    public static bool Matches(string? ifMatch, string current) =>
        string.IsNullOrEmpty(ifMatch) || ifMatch == "*" || Unquote(ifMatch) == Unquote(current);

    private static string Unquote(string etag) => etag.Trim().Trim('"');
}
