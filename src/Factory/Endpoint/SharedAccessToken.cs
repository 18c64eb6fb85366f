using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Factory.Endpoint;

/// <summary>
/// Shared access signatures as DPS and IoT Hub accept them:
/// <c>SharedAccessSignature sr={urlencoded resource}&amp;sig={base64 HMAC-SHA256(key, sr + "\n" + se)}&amp;se={expiry}&amp;skn={policy}</c>.
/// </summary>
internal static class SharedAccessToken
{
    /// <summary>A token for <paramref name="resource"/> (the service host name) valid until <paramref name="expiry"/>.</summary>
    public static string Create(string resource, string keyName, byte[] key, DateTimeOffset expiry)
    {
        var sr = Uri.EscapeDataString(resource);
        var se = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var sig = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(sr + "\n" + se)));
        return $"SharedAccessSignature sr={sr}&sig={Uri.EscapeDataString(sig)}&se={se}&skn={Uri.EscapeDataString(keyName)}";
    }
}
