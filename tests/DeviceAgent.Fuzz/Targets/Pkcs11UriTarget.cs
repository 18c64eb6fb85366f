using System.Text;
using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;

namespace DeviceAgent.Fuzz.Targets;

/// <summary>
/// The RFC 7512 PKCS#11 URI parser and the key reference built on it (the agent's
/// <c>identity.key</c>). Bad input: <see cref="KeyCustodyException"/>. Invariant: a parsed URI's
/// text form parses to an equal URI and is a fixed point.
/// </summary>
internal static class Pkcs11UriTarget
{
    public static FuzzTarget Target { get; } = new("pkcs11-uri", Run);

    private static void Run(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        try
        {
            var uri = Pkcs11Uri.Parse(text);
            var canonical = uri.ToString();
            var again = Pkcs11Uri.Parse(canonical);
            if (!again.Equals(uri) || again.ToString() != canonical)
                throw new InvariantViolatedException($"'{canonical}' does not parse back to the URI it was formatted from");
        }
        catch (KeyCustodyException)
        {
        }
        try
        {
            _ = KeyReference.Parse(text);
        }
        catch (KeyCustodyException)
        {
        }
    }
}
