using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary>
/// <c>DELETE /hubs/{hub}/devices/{deviceId}</c> (<c>DELETE /devices/{deviceId}</c> on the registry
/// port; If-Match optional): removes the device and its telemetry through <see cref="HubRegistry"/>,
/// so a connected device is disconnected. It can provision again if an enrollment lets it. 204; 404; 412.
/// </summary>
internal static class DeleteHubDevice
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapDelete(HubRoutes.Prefix + "/devices/{deviceId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string hub, string deviceId, HttpRequest request, [FromServices] IProvisioningStore store,
        [FromServices] HubRegistry registry, [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var definition = HubRoutes.Resolve(configuration, hub);
        var ifMatch = IfMatch.Read(request);
        var current = await store.GetHubDeviceAsync(definition.Name, deviceId, cancellationToken) ?? throw HubRoutes.DeviceNotFound(definition, deviceId);
        ifMatch.Check(current.Etag, $"device '{deviceId}'");
        if (!await registry.DeleteAsync(definition.Name, deviceId, ifMatch.Etag is null ? null : current.Etag, cancellationToken))
            throw HubRoutes.DeviceNotFound(definition, deviceId);
        return Results.NoContent();
    }
}
