using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Profiles;

/// <summary>Reading and writing the names certificates carry (RFC 5280 4.1.2.4).</summary>
public static class DistinguishedNames
{
    private const string CommonNameOid = "2.5.4.3"; // X.520 id-at-commonName

    /// <summary>The (last) single-valued common name of <paramref name="name"/>; null when it has none.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static string? CommonName(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? found = null;
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
                found = rdn.GetSingleElementValue();
        }
        return found;
    }

    /// <summary>A name that is just <c>CN=<paramref name="commonName"/></c>, escaped as needed.</summary>
    public static X500DistinguishedName FromCommonName(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    /// <summary>Parses a distinguished name as users write it ("CN=Line A CA, O=Contoso"), which must name a CN.</summary>
    /// <exception cref="ArgumentException">The text is not a distinguished name, or it has no CN.</exception>
    public static X500DistinguishedName Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ArgumentException("the subject is empty; write it as a distinguished name, e.g. \"CN=Contoso Root CA, O=Contoso\"", nameof(text));
        X500DistinguishedName name;
        try
        {
            name = new X500DistinguishedName(text);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException($"'{text}' is not a distinguished name ({e.Message}); write it as \"CN=Contoso Root CA, O=Contoso\"", nameof(text), e);
        }
        if (CommonName(name) is not { Length: > 0 } cn)
            throw new ArgumentException($"'{text}' names no CN (common name); a CA subject needs one, e.g. \"CN=Line A CA, O=Contoso\"", nameof(text));
        if (cn.Length > 64)
            throw new ArgumentException($"the CN of '{text}' is longer than 64 characters (RFC 5280 Appendix A.1 ub-common-name)", nameof(text));
        return name;
    }
}
