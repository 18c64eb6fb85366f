using System.Globalization;
using System.Text;
using DeviceAgent.Provisioning.Wire;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Hub;

/// <summary>The device twin: <c>$iothub/twin/GET/?$rid=</c> and <c>$iothub/twin/PATCH/properties/reported/?$rid=</c>, answered on <c>$iothub/twin/res/{status}/?$rid=</c>.</summary>
public sealed class TwinHandler(IProvisioningStore store, TimeProvider clock) : IHubTopicHandler
{
    private const string Get = "$iothub/twin/GET/?";
    private const string Patch = "$iothub/twin/PATCH/properties/reported/?";

    /// <inheritdoc />
    public bool Serves(string deviceId, string topic) => topic.StartsWith(Get, StringComparison.Ordinal) || topic.StartsWith(Patch, StringComparison.Ordinal);

    /// <inheritdoc />
    public async ValueTask<HubReply?> HandleAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var get = request.Topic.StartsWith(Get, StringComparison.Ordinal);
        var query = QueryString.Parse(request.Topic[(get ? Get.Length : Patch.Length)..]);
        query.TryGetValue("$rid", out var rid);
        var (status, body, version) = await TwinAsync(request, get, cancellationToken).ConfigureAwait(false);
        return new HubReply($"$iothub/twin/res/{status}/?$rid={rid}" + (version is { } v ? "&$version=" + v.ToString(CultureInfo.InvariantCulture) : ""), body);
    }

    private async Task<(int Status, byte[] Body, long? Version)> TwinAsync(HubRequest request, bool get, CancellationToken cancellationToken)
    {
        var device = await store.GetHubDeviceAsync(request.Hub, request.DeviceId, cancellationToken).ConfigureAwait(false);
        if (device is null)
            return (404, Encoding.UTF8.GetBytes("""{"errorCode":404001,"message":"device not found"}"""), null);
        if (get)
            return (200, Encoding.UTF8.GetBytes(TwinDocument.DeviceView(device.TwinJson)), null);
        try
        {
            var (twin, version) = TwinDocument.PatchReported(device.TwinJson, request.Payload.Span);
            await store.PutHubDeviceAsync(device with { TwinJson = twin, Etag = Etags.New(), UpdatedUtc = clock.GetUtcNow() }, device.Etag, cancellationToken).ConfigureAwait(false);
            return (204, [], version);
        }
        catch (System.Text.Json.JsonException e)
        {
            return (400, Encoding.UTF8.GetBytes($$"""{"errorCode":400004,"message":{{System.Text.Json.JsonSerializer.Serialize(e.Message)}}}"""), null);
        }
        catch (StoreConflictException)
        {
            return (412, Encoding.UTF8.GetBytes("""{"errorCode":412002,"message":"the twin changed concurrently; retry"}"""), null);
        }
    }
}
