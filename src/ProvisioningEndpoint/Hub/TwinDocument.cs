using System.Text.Json.Nodes;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// A device twin as stored: <c>{"tags":{}, "properties":{"desired":{..., "$version":n}, "reported":{..., "$version":m}}}</c>.
/// Reported patches merge as JSON merge patches (RFC 7396: null removes).
/// </summary>
internal static class TwinDocument
{
    /// <summary>What the device gets for GET: <c>{"desired":{...}, "reported":{...}}</c>.</summary>
    public static string DeviceView(string twinJson)
    {
        var twin = Parse(twinJson);
        var properties = twin["properties"]!.AsObject();
        return new JsonObject
        {
            ["desired"] = WithVersion(properties["desired"]),
            ["reported"] = WithVersion(properties["reported"]),
        }.ToJsonString();
    }

    /// <summary>Merges a reported-properties patch; returns the new twin and the new reported version.</summary>
    /// <exception cref="System.Text.Json.JsonException">The patch is not a JSON object.</exception>
    public static (string Twin, long Version) PatchReported(string twinJson, ReadOnlySpan<byte> patch)
    {
        var twin = Parse(twinJson);
        var reported = twin["properties"]!["reported"] as JsonObject ?? new JsonObject();
        var changes = JsonNode.Parse(patch) as JsonObject ?? throw new System.Text.Json.JsonException("the reported properties patch is not a JSON object");
        Merge(reported, changes);
        var version = (reported["$version"]?.GetValue<long>() ?? 1) + 1;
        reported["$version"] = version;
        twin["properties"]!["reported"] = reported.DeepClone();
        return (twin.ToJsonString(), version);
    }

    private static JsonObject Parse(string twinJson)
    {
        var twin = JsonNode.Parse(twinJson) as JsonObject ?? new JsonObject();
        var properties = twin["properties"] as JsonObject ?? new JsonObject();
        properties["desired"] ??= new JsonObject();
        properties["reported"] ??= new JsonObject();
        twin["properties"] = properties;
        return twin;
    }

    private static JsonObject WithVersion(JsonNode? node)
    {
        var copy = node?.DeepClone() as JsonObject ?? new JsonObject();
        copy["$version"] ??= 1;
        return copy;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
                target.Remove(name);
            else if (value is JsonObject child && target[name] is JsonObject existing)
                Merge(existing, child);
            else
                target[name] = value.DeepClone();
        }
    }
}
