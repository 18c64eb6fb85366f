using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary>The hub a <c>/hubs/{hub}/...</c> route addresses.</summary>
internal static class HubRoutes
{
    /// <summary>The prefix of every hub route.</summary>
    public const string Prefix = "/hubs/{hub}";

    /// <summary>The hub named in the route.</summary>
    /// <exception cref="RestException">404 IotHubNotFound.</exception>
    public static HubDefinition Resolve(EndpointConfiguration configuration, string hub) =>
        configuration.Hubs.FirstOrDefault(h => string.Equals(h.Name, hub, StringComparison.Ordinal))
            ?? throw new RestException(RestErrorCodes.HubNotFound,
                $"there is no hub '{hub}'; this endpoint serves {string.Join(", ", configuration.Hubs.Select(h => h.Name))}");

    /// <summary>The 404 of a device that is not in the hub's registry.</summary>
    public static RestException DeviceNotFound(HubDefinition hub, string deviceId) =>
        RestException.NotFound($"device '{deviceId}' is not in the registry of hub '{hub.Name}'");
}
