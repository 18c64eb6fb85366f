using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary>
/// <c>GET /hubs/{hub}/devices/{deviceId}/messages/events[?limit=N]</c> (local extension; IoT Hub
/// offers telemetry through Event Hubs instead): the device's newest telemetry, oldest first,
/// at most N (default 100, at most 1000) of what the hub keeps. 200; 400; 404.
/// </summary>
internal static class GetTelemetry
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;
    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet(HubRoutes.Prefix + "/devices/{deviceId}/messages/events", HandleAsync);

    private static async Task<IResult> HandleAsync(string hub, string deviceId, HttpRequest request, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var definition = HubRoutes.Resolve(configuration, hub);
        var limit = DefaultLimit;
        var limitText = request.Query["limit"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            throw RestException.BadField("limit", $"(query) must be 1..{MaxLimit}");
        _ = await store.GetHubDeviceAsync(definition.Name, deviceId, cancellationToken) ?? throw HubRoutes.DeviceNotFound(definition, deviceId);
        var messages = await store.ListTelemetryAsync(definition.Name, deviceId, limit, cancellationToken);
        var items = messages.Select(m => new TelemetryWire
        {
            ReceivedUtc = m.ReceivedUtc,
            Properties = DeviceAgent.Provisioning.Wire.QueryString.Parse(m.Properties),
            Body = Convert.ToBase64String(m.Body),
            Text = TryText(m.Body),
        }).ToList();
        return Results.Json(items, RestJson.Context.ListTelemetryWire);
    }

    private static string? TryText(byte[] body)
    {
        try
        {
            return s_strictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
