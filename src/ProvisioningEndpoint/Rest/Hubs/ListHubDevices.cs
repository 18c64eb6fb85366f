using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary><c>GET /hubs/{hub}/devices</c> (<c>GET /devices</c> on the registry port): the hub's devices, by id. 200; 404.</summary>
internal static class ListHubDevices
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet(HubRoutes.Prefix + "/devices", HandleAsync);

    private static async Task<IResult> HandleAsync(string hub, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var definition = HubRoutes.Resolve(configuration, hub);
        var devices = await store.ListHubDevicesAsync(definition.Name, cancellationToken);
        return Results.Json(devices.Select(HubDeviceMapping.ToWire).ToList(), RestJson.Context.ListHubDeviceWire);
    }
}
