using System.Globalization;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary>
/// Hub devices between IoT Hub's device shape and the model. Devices authenticate by X.509
/// thumbprint (<c>authentication.type</c> selfSigned, one primary thumbprint), as DPS creates them;
/// symmetric keys and CA authentication are not served. Etags are shown unquoted, as IoT Hub does.
/// </summary>
internal static class HubDeviceMapping
{
    /// <summary>The device as IoT Hub shows it.</summary>
    public static HubDeviceWire ToWire(HubDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new HubDeviceWire
        {
            DeviceId = device.DeviceId,
            GenerationId = device.CreatedUtc.UtcTicks.ToString(CultureInfo.InvariantCulture),
            Etag = device.Etag.Trim('"'),
            Status = device.Status == HubDeviceStatus.Enabled ? "enabled" : "disabled",
            StatusUpdatedTime = device.UpdatedUtc,
            Authentication = new AuthenticationMechanismWire
            {
                Type = "selfSigned",
                X509Thumbprint = new X509ThumbprintWire { PrimaryThumbprint = device.PrimaryThumbprint },
            },
            Capabilities = EnrollmentFields.Capabilities,
        };
    }

    /// <summary><c>status</c>: enabled or disabled; null when absent.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static HubDeviceStatus? ReadStatus(string? status) => status?.ToLowerInvariant() switch
    {
        null => null,
        "enabled" => HubDeviceStatus.Enabled,
        "disabled" => HubDeviceStatus.Disabled,
        _ => throw RestException.BadField("status", $"is '{EnrollmentFields.Shorten(status)}'; expected 'enabled' or 'disabled'"),
    };

    /// <summary>The primary thumbprint the body asks for; null when it leaves authentication unchanged.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static string? ReadThumbprint(AuthenticationMechanismWire? authentication)
    {
        if (authentication is null)
            return null;
        var type = authentication.Type
            ?? (authentication.X509Thumbprint?.PrimaryThumbprint is not null ? "selfSigned" : null);
        if (type is null)
            return null;
        if (!string.Equals(type, "selfSigned", StringComparison.OrdinalIgnoreCase))
        {
            throw RestException.BadField("authentication.type",
                $"is '{EnrollmentFields.Shorten(type)}'; this hub authenticates devices by X.509 thumbprint only: type 'selfSigned' with x509Thumbprint.primaryThumbprint");
        }
        if (!string.IsNullOrEmpty(authentication.X509Thumbprint?.SecondaryThumbprint))
            throw RestException.BadField("authentication.x509Thumbprint.secondaryThumbprint", "is not supported: one thumbprint per device");
        var thumbprint = authentication.X509Thumbprint?.PrimaryThumbprint;
        if (string.IsNullOrEmpty(thumbprint))
            throw RestException.BadField("authentication.x509Thumbprint.primaryThumbprint", "is required for type 'selfSigned'");
        if (thumbprint.Length != 40 || !thumbprint.All(char.IsAsciiHexDigit))
            throw RestException.BadField("authentication.x509Thumbprint.primaryThumbprint", "is not a SHA-1 thumbprint (40 hex digits)");
        return thumbprint.ToUpperInvariant();
    }
}
