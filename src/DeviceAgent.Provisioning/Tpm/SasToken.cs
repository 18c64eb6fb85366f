using System.Globalization;
using System.Text;

namespace DeviceAgent.Provisioning.Tpm;

/// <summary>
/// A shared access signature as the Azure IoT SDKs make it (DPS and IoT Hub "security tokens"):
/// <c>SharedAccessSignature sr={URL-encoded resource}&amp;sig={URL-encoded base64 HMAC-SHA256}&amp;se={expiry, Unix seconds}[&amp;skn={key name}]</c>,
/// the signed string being <c>{URL-encoded resource}\n{expiry}</c>. The HMAC is computed by
/// the caller's sign function (the TPM). The token is a secret: never log it.
/// </summary>
public static class SasToken
{
    /// <summary>Makes a token for <paramref name="resource"/> valid until <paramref name="expires"/>.</summary>
    public static string Create(string resource, DateTimeOffset expires, string? keyName, Func<byte[], byte[]> sign)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentNullException.ThrowIfNull(sign);
        var sr = Uri.EscapeDataString(resource);
        var se = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var sig = Convert.ToBase64String(sign(Encoding.UTF8.GetBytes($"{sr}\n{se}")));
        return $"SharedAccessSignature sr={sr}&sig={Uri.EscapeDataString(sig)}&se={se}" + (keyName is null ? "" : $"&skn={Uri.EscapeDataString(keyName)}");
    }
}
