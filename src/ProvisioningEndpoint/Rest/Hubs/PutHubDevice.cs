using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary>
/// <c>PUT /hubs/{hub}/devices/{deviceId}</c> (and <c>PUT /devices/{deviceId}</c> on the hub's registry
/// port): creates a device (no If-Match, or *) with X.509 thumbprint authentication, or updates one
/// (If-Match: etag or *): its status and thumbprint. Goes through <see cref="HubRegistry"/>, so a
/// device that is disabled or re-keyed is disconnected. 200 with the device; 400 naming the field;
/// 404 (hub, or a device named with an etag); 409 when it exists without If-Match; 412.
/// </summary>
internal static class PutHubDevice
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPut(HubRoutes.Prefix + "/devices/{deviceId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string hub, string deviceId, HttpRequest request, [FromServices] IProvisioningStore store,
        [FromServices] HubRegistry registry, [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var definition = HubRoutes.Resolve(configuration, hub);
        DeviceIds.Check(deviceId, "deviceId");
        var ifMatch = IfMatch.Read(request);
        var wire = await RequestBody.ReadAsync(request, RestJson.Context.HubDeviceWire, "a device", cancellationToken);
        EnrollmentFields.CheckBodyId(wire.DeviceId, deviceId, "deviceId");
        var status = HubDeviceMapping.ReadStatus(wire.Status);
        var thumbprint = HubDeviceMapping.ReadThumbprint(wire.Authentication);

        var current = await store.GetHubDeviceAsync(definition.Name, deviceId, cancellationToken);
        HubDevice device;
        if (current is null)
        {
            if (ifMatch.Etag is not null)
                throw HubRoutes.DeviceNotFound(definition, deviceId);
            if (thumbprint is null)
            {
                throw RestException.BadField("authentication",
                    "is required to create a device: {\"type\": \"selfSigned\", \"x509Thumbprint\": {\"primaryThumbprint\": \"SHA-1 of its certificate\"}}");
            }
            device = await registry.CreateAsync(definition.Name, deviceId, thumbprint, null, cancellationToken);
            if (status == HubDeviceStatus.Disabled)
                device = (await registry.SetStatusAsync(definition.Name, deviceId, HubDeviceStatus.Disabled, device.Etag, cancellationToken))!;
        }
        else
        {
            if (!ifMatch.IsPresent)
                throw RestException.Conflict($"device '{deviceId}' exists in hub '{definition.Name}'; to update it, send If-Match with its etag (or *)");
            ifMatch.Check(current.Etag, $"device '{deviceId}'");
            device = await registry.UpdateAsync(current, status ?? current.Status, thumbprint ?? current.PrimaryThumbprint, current.Etag, cancellationToken);
        }
        return Results.Json(HubDeviceMapping.ToWire(device), RestJson.Context.HubDeviceWire);
    }
}
