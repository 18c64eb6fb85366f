using System.Text;

namespace DeviceAgent.Keys.Pkcs11;

// RFC 7512 section 2.3 grammar: attribute syntax, percent-encoding and the characters each
// component may carry unencoded.
public sealed partial class Pkcs11Uri
{
    // pk11-path-res-avail / pk11-query-res-avail plus RFC 3986 unreserved characters.
    private const string PathUnencoded = ":[]@!$'()*+,=&";
    private const string QueryUnencoded = ":[]@!$'()*+,=/?|;";

    private static Dictionary<string, string> ParseAttributes(string uri, string part, char separator, string[] known, bool isQuery)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (part.Length == 0)
            return result;
        var component = isQuery ? "query" : "path";
        foreach (var attribute in part.Split(separator))
        {
            if (attribute.Length == 0)
                throw Invalid(uri, $"the {component} has an empty attribute (a doubled or trailing '{separator}')");
            var eq = attribute.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw Invalid(uri, $"'{attribute}' in the {component} is not of the form name=value (RFC 7512 section 2.3)");
            var name = attribute[..eq];
            var raw = attribute[(eq + 1)..];
            if (Array.IndexOf(known, name) < 0)
            {
                var other = isQuery ? s_pathAttributes : s_queryAttributes;
                if (Array.IndexOf(other, name) >= 0)
                    throw Invalid(uri, $"'{name}' belongs in the {(isQuery ? "path (before '?')" : "query (after '?')")}");
                if (!IsVendorAttributeName(name))
                    throw Invalid(uri, $"'{name}' is not a valid attribute name (RFC 7512 section 2.3)");
                // A vendor-specific query attribute is a processing hint: ignore it. A vendor-specific
                // path attribute narrows the match in a way this agent cannot evaluate: refuse it
                // rather than match a different object than the user meant.
                if (isQuery)
                    continue;
                throw Invalid(uri, $"'{name}' is a vendor-specific attribute this agent cannot match on; remove it");
            }
            if (!result.TryAdd(name, name == "id" ? raw : PercentDecodeText(uri, name, raw, isQuery)))
                throw Invalid(uri, $"'{name}' appears more than once (RFC 7512 section 2.3 allows it once)");
        }
        return result;
    }

    private static string RawValue(string pathPart, string name)
    {
        foreach (var attribute in pathPart.Split(';'))
        {
            if (attribute.StartsWith(name + "=", StringComparison.Ordinal))
                return attribute[(name.Length + 1)..];
        }
        return "";
    }

    private static string PercentDecodeText(string uri, string name, string raw, bool isQuery)
    {
        var bytes = DecodeCore(uri, name, raw, isQuery);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(uri, $"the value of '{name}' is not valid UTF-8 after percent-decoding");
        }
    }

    private static byte[] PercentDecodeBytes(string uri, string raw) => DecodeCore(uri, "id", raw, isQuery: false);

    private static byte[] DecodeCore(string uri, string name, string raw, bool isQuery)
    {
        var allowed = isQuery ? QueryUnencoded : PathUnencoded;
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !Uri.IsHexDigit(raw[i + 1]) || !Uri.IsHexDigit(raw[i + 2]))
                    throw Invalid(uri, $"the value of '{name}' has a '%' not followed by two hex digits");
                bytes.Add((byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2])));
                i += 2;
            }
            else if (IsUnreserved(c) || allowed.Contains(c, StringComparison.Ordinal))
            {
                bytes.Add((byte)c);
            }
            else
            {
                throw Invalid(uri, $"the value of '{name}' contains '{c}', which must be percent-encoded (RFC 7512 section 2.3)");
            }
        }
        return bytes.ToArray();
    }

    private static void PercentEncode(StringBuilder sb, string value, bool isQuery)
    {
        var allowed = isQuery ? QueryUnencoded : PathUnencoded;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            // '&' is legal in a path value but confuses readers of query strings; encode it anyway.
            if (b < 0x80 && (IsUnreserved(c) || (allowed.Contains(c, StringComparison.Ordinal) && c != '&')))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static bool IsVendorAttributeName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
