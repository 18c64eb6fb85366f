using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProvisioningEndpoint.Rest.Auth;

/// <summary>
/// A shared access signature as DPS and IoT Hub accept it:
/// <c>SharedAccessSignature sr={resource}&amp;sig={signature}&amp;se={expiry}&amp;skn={policy}</c>, where the
/// signature is base64(HMAC-SHA256(key, sr + "\n" + se)) over <c>sr</c> exactly as it appears in the
/// token (URL-encoded by most SDKs, raw by the Node.js SDK), and <c>se</c> is the expiry in Unix
/// seconds. Fields may come in any order; <c>sig</c> and <c>skn</c> are URL-decoded. Immutable.
/// </summary>
/// <param name="Resource">The <c>sr</c> field as sent (what was signed).</param>
/// <param name="Signature">The decoded <c>sig</c> (base64).</param>
/// <param name="Expiry">The <c>se</c> field as sent (what was signed).</param>
/// <param name="KeyName">The decoded <c>skn</c>: the policy whose key signed.</param>
public sealed record SharedAccessSignature(string Resource, string Signature, string Expiry, string KeyName)
{
    private const string Scheme = "SharedAccessSignature";

    /// <summary>The decoded resource: what the token is for (a host name, maybe with a path).</summary>
    public string DecodedResource => Uri.UnescapeDataString(Resource);

    /// <summary>Parses an Authorization header value (or an MQTT password).</summary>
    /// <param name="authorization">The text.</param>
    /// <param name="requireKeyName">False for a device's own token (IoT Hub device SAS: no skn); its KeyName is then empty.</param>
    /// <exception cref="FormatException">It is not a shared access signature; the message says what is wrong (never the token).</exception>
    public static SharedAccessSignature Parse(string? authorization, bool requireKeyName = true)
    {
        if (string.IsNullOrWhiteSpace(authorization))
            throw new FormatException("the request has no Authorization header; send 'SharedAccessSignature sr=...&sig=...&se=...&skn=...' made from the owner connection string");
        var text = authorization.Trim();
        if (!text.StartsWith(Scheme + " ", StringComparison.Ordinal))
            throw new FormatException("the Authorization header is not a SharedAccessSignature (expected 'SharedAccessSignature sr=...&sig=...&se=...&skn=...')");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text[(Scheme.Length + 1)..].Trim().Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new FormatException("the shared access signature has a field without a value; expected sr=...&sig=...&se=...&skn=...");
            if (!fields.TryAdd(pair[..eq], pair[(eq + 1)..]))
                throw new FormatException($"the shared access signature has the field '{pair[..eq]}' twice");
        }
        foreach (var required in requireKeyName ? ["sr", "sig", "se", "skn"] : new[] { "sr", "sig", "se" })
        {
            if (!fields.TryGetValue(required, out var value) || value.Length == 0)
                throw new FormatException($"the shared access signature has no '{required}' field; expected sr=...&sig=...&se=...&skn=...");
        }
        return new SharedAccessSignature(fields["sr"], Uri.UnescapeDataString(fields["sig"]), fields["se"],
            fields.TryGetValue("skn", out var skn) ? Uri.UnescapeDataString(skn) : "");
    }

    /// <summary>Makes a token the way the DPS and IoT Hub SDKs do (resource URL-encoded, then signed).</summary>
    public static string Create(string resource, string keyName, byte[] key, DateTimeOffset expiry)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(keyName);
        var sr = Uri.EscapeDataString(resource);
        var se = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var sig = Sign(key, sr, se);
        return $"{Scheme} sr={sr}&sig={Uri.EscapeDataString(sig)}&se={se}&skn={Uri.EscapeDataString(keyName)}";
    }

    /// <summary>The expiry, or null when <c>se</c> is not a number of seconds.</summary>
    public DateTimeOffset? ExpiresUtc =>
        long.TryParse(Expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Whether the signature was made with <paramref name="key"/> (constant-time comparison).</summary>
    public bool IsSignedWith(byte[] key)
    {
        Span<byte> presented = stackalloc byte[64];
        if (!Convert.TryFromBase64String(Signature, presented, out var length))
            return false;
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Resource + "\n" + Expiry));
        return CryptographicOperations.FixedTimeEquals(expected, presented[..length]);
    }

    /// <summary>Redacted: a token is a secret and is never logged.</summary>
    public override string ToString() => $"SharedAccessSignature(skn={KeyName}, sr={DecodedResource}, se={Expiry})";

    private static string Sign(byte[] key, string sr, string se) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(sr + "\n" + se)));
}
