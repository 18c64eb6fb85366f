using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;

namespace ProvisioningEndpoint.Rest.Enrollments;

/// <summary>
/// <c>allocationPolicy</c>, <c>iotHubs</c> and <c>iotHubHostName</c>. On the wire hubs are named as
/// devices receive them in <c>assignedHub</c> (<c>host[:port]</c>); requests may also name a hub by its
/// name (<c>hub1</c>). Policies: hashed (default), geoLatency (behaves as hashed locally), static
/// (one hub); custom (webhooks) is not served.
/// </summary>
internal static class AllocationMapping
{
    /// <summary>Reads the allocation fields of an enrollment.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static AllocationSettings Read(string? policy, IReadOnlyList<string>? iotHubs, string? iotHubHostName, IReadOnlyList<HubDefinition> hubs)
    {
        var names = new List<string>();
        for (var i = 0; i < (iotHubs?.Count ?? 0); i++)
            names.Add(Resolve(iotHubs![i], $"iotHubs[{i}]", hubs).Name);
        var hostHub = string.IsNullOrEmpty(iotHubHostName) ? null : Resolve(iotHubHostName, "iotHubHostName", hubs).Name;
        switch (policy?.ToLowerInvariant())
        {
            case null when hostHub is not null:
            case "static":
                var staticHub = hostHub ?? (names.Count == 1 ? names[0]
                    : throw RestException.BadField("iotHubs", $"names {names.Count} hubs; static allocation needs exactly one (or 'iotHubHostName')"));
                return new AllocationSettings(AllocationPolicy.Static, [staticHub], staticHub);
            case null:
            case "hashed":
                return new AllocationSettings(AllocationPolicy.Hashed, names, null);
            case "geolatency":
                return new AllocationSettings(AllocationPolicy.GeoLatency, names, null);
            case "custom":
                throw RestException.BadField("allocationPolicy", "is 'custom'; this endpoint does not call allocation webhooks: use 'hashed', 'geoLatency' or 'static'");
            default:
                throw RestException.BadField("allocationPolicy", $"is '{EnrollmentFields.Shorten(policy)}'; expected 'hashed', 'geoLatency' or 'static'");
        }
    }

    /// <summary>The wire fields of an allocation: policy, hubs (null when all), static hub host name.</summary>
    public static (string Policy, List<string>? IotHubs, string? IotHubHostName) Write(AllocationSettings allocation, IReadOnlyList<HubDefinition> hubs)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        string Show(string name) => hubs.FirstOrDefault(h => h.Name == name)?.AssignedHub ?? name;
        var policy = allocation.Policy switch
        {
            AllocationPolicy.Static => "static",
            AllocationPolicy.GeoLatency => "geoLatency",
            _ => "hashed",
        };
        var listed = allocation.Hubs.Count == 0 ? null : allocation.Hubs.Select(Show).ToList();
        return (policy, listed, allocation.StaticHub is { } s ? Show(s) : null);
    }

    private static HubDefinition Resolve(string text, string field, IReadOnlyList<HubDefinition> hubs)
    {
        var byName = hubs.FirstOrDefault(h => string.Equals(h.Name, text, StringComparison.OrdinalIgnoreCase))
            ?? hubs.FirstOrDefault(h => string.Equals(h.AssignedHub, text, StringComparison.OrdinalIgnoreCase));
        if (byName is not null)
            return byName;
        var byHost = hubs.Where(h => string.Equals(h.HostName, text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byHost.Count == 1)
            return byHost[0];
        throw RestException.BadField(field, $"'{EnrollmentFields.Shorten(text)}' is not a hub of this endpoint"
            + (byHost.Count > 1 ? " (several hubs have that host name; name one as host:port or by name)" : "")
            + $"; its hubs are {string.Join(", ", hubs.Select(h => $"{h.Name} ({h.AssignedHub})"))}");
    }
}
