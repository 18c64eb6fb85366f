namespace DeviceAgent.Provisioning.Wire;

/// <summary>The <c>name=value&amp;name=value</c> tails of DPS and IoT Hub topics and user names.</summary>
internal static class QueryString
{
    /// <summary>Parses a query; later duplicates win; names and values are percent-decoded.</summary>
    public static Dictionary<string, string> Parse(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            result[Uri.UnescapeDataString(name)] = Uri.UnescapeDataString(value);
        }
        return result;
    }
}
