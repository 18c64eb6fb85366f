using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary><c>GET /hubs/{hub}/devices/{deviceId}</c> (<c>GET /devices/{deviceId}</c> on the registry port): the device. 200; 404.</summary>
internal static class GetHubDevice
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet(HubRoutes.Prefix + "/devices/{deviceId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string hub, string deviceId, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var definition = HubRoutes.Resolve(configuration, hub);
        var device = await store.GetHubDeviceAsync(definition.Name, deviceId, cancellationToken) ?? throw HubRoutes.DeviceNotFound(definition, deviceId);
        return Results.Json(HubDeviceMapping.ToWire(device), RestJson.Context.HubDeviceWire);
    }
}
