using System.Globalization;

namespace DeviceAgent.Provisioning.Wire;

/// <summary>
/// The DPS device protocol's MQTT topics: requests to
/// <c>$dps/registrations/{PUT|GET}/...?$rid=</c>, responses on
/// <c>$dps/registrations/res/{status}/?$rid=...&amp;retry-after=...</c>. <c>$rid</c> is opaque and echoed.
/// </summary>
internal static class DpsTopics
{
    /// <summary>What a device subscribes to for responses.</summary>
    public const string ResponseFilter = "$dps/registrations/res/#";

    /// <summary>The prefix of the register request topic.</summary>
    public const string RegisterPrefix = "$dps/registrations/PUT/iotdps-register/?";

    /// <summary>The prefix of the operation status request topic.</summary>
    public const string OperationStatusPrefix = "$dps/registrations/GET/iotdps-get-operationstatus/?";

    private const string ResponsePrefix = "$dps/registrations/res/";

    // A retry-after past what a TimeSpan holds (or Infinity, NaN) is no usable wait: ignored, as a
    // malformed one is (the DPS client then polls at its default interval).
    private static readonly double MaxRetryAfterSeconds = TimeSpan.MaxValue.TotalSeconds;

    /// <summary>The register request topic.</summary>
    public static string Register(string requestId) => RegisterPrefix + "$rid=" + Uri.EscapeDataString(requestId);

    /// <summary>The operation status request topic.</summary>
    public static string OperationStatus(string requestId, string operationId) =>
        OperationStatusPrefix + "$rid=" + Uri.EscapeDataString(requestId) + "&operationId=" + Uri.EscapeDataString(operationId);

    /// <summary>A response topic; <paramref name="retryAfterSeconds"/> is appended when given.</summary>
    public static string Response(int status, string requestId, int? retryAfterSeconds = null) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{ResponsePrefix}{status}/?$rid={Uri.EscapeDataString(requestId)}{(retryAfterSeconds is { } s ? $"&retry-after={s}" : "")}");

    /// <summary>Parses a response topic; false when it is not one.</summary>
    public static bool TryParseResponse(string topic, out int status, out string requestId, out TimeSpan? retryAfter)
    {
        status = 0;
        requestId = "";
        retryAfter = null;
        if (!topic.StartsWith(ResponsePrefix, StringComparison.Ordinal))
            return false;
        var rest = topic.AsSpan(ResponsePrefix.Length);
        var slash = rest.IndexOf("/?", StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out status))
            return false;
        var query = QueryString.Parse(rest[(slash + 2)..].ToString());
        if (!query.TryGetValue("$rid", out var rid))
            return false;
        requestId = rid;
        if (query.TryGetValue("retry-after", out var seconds) &&
            double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value < MaxRetryAfterSeconds)
            retryAfter = TimeSpan.FromSeconds(value);
        return true;
    }
}
