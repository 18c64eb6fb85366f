namespace ProvisioningEndpoint.Hub;

/// <summary>
/// The MQTT user name of an IoT Hub device connection: <c>{hubHostName}/{deviceId}/?api-version=...</c>.
/// SDKs append more parameters (<c>&amp;DeviceClientType=...</c>); they are tolerated.
/// </summary>
internal static class HubUserName
{
    /// <summary>The device id of a hub user name; null with the reason when it is not of that form.</summary>
    public static string? TryParse(string? userName, string hubHostName, out string? problem)
    {
        problem = null;
        var parts = userName?.Split('/', 3);
        // The third part is the query: "?api-version=..." (some SDKs drop the '?').
        if (parts is not { Length: 3 } || parts[1].Length == 0 || !parts[2].TrimStart('?').StartsWith("api-version=", StringComparison.Ordinal))
        {
            problem = $"the MQTT user name '{userName}' is not of the form {{hub}}/{{deviceId}}/?api-version=...";
            return null;
        }
        var host = parts[0];
        var colon = host.LastIndexOf(':');
        if (!string.Equals(host, hubHostName, StringComparison.OrdinalIgnoreCase) &&
            !(colon > 0 && string.Equals(host[..colon], hubHostName, StringComparison.OrdinalIgnoreCase)))
        {
            problem = $"the user name names hub '{host}', but this is '{hubHostName}'";
            return null;
        }
        return Uri.UnescapeDataString(parts[1]);
    }
}
