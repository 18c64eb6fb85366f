using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary>
/// <c>GET /hubs/{hub}/twins/{deviceId}</c> (<c>GET /twins/{deviceId}</c> on the registry port): the
/// device twin as IoT Hub's service API shows it: identity fields, <c>tags</c>, and desired and
/// reported properties (the reported ones as the device patched them). 200; 404.
/// </summary>
internal static class GetTwin
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet(HubRoutes.Prefix + "/twins/{deviceId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string hub, string deviceId, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var definition = HubRoutes.Resolve(configuration, hub);
        var device = await store.GetHubDeviceAsync(definition.Name, deviceId, cancellationToken) ?? throw HubRoutes.DeviceNotFound(definition, deviceId);
        return Results.Text(View(device).ToJsonString(), "application/json; charset=utf-8");
    }

    private static long Version(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        _ => 1,
    };

    private static JsonObject View(HubDevice device)
    {
        var stored = JsonNode.Parse(device.TwinJson) as JsonObject ?? [];
        var properties = stored["properties"] as JsonObject ?? [];
        var desired = properties["desired"]?.DeepClone() as JsonObject ?? [];
        var reported = properties["reported"]?.DeepClone() as JsonObject ?? [];
        desired["$version"] = Version(desired["$version"]);
        reported["$version"] = Version(reported["$version"]);
        return new JsonObject
        {
            ["deviceId"] = device.DeviceId,
            ["etag"] = device.Etag.Trim('"'),
            ["deviceEtag"] = device.Etag.Trim('"'),
            ["status"] = device.Status == HubDeviceStatus.Enabled ? "enabled" : "disabled",
            ["statusUpdateTime"] = device.UpdatedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["authenticationType"] = "selfSigned",
            ["x509Thumbprint"] = new JsonObject { ["primaryThumbprint"] = device.PrimaryThumbprint, ["secondaryThumbprint"] = null },
            ["version"] = Version(desired["$version"]) + Version(reported["$version"]),
            ["tags"] = stored["tags"]?.DeepClone() ?? new JsonObject(),
            ["properties"] = new JsonObject { ["desired"] = desired, ["reported"] = reported },
        };
    }
}
