using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Hub;

/// <summary>Device-to-cloud telemetry on <c>devices/{id}/messages/events/{properties}</c>: kept, bounded per device.</summary>
public sealed class TelemetryHandler(IProvisioningStore store, int telemetryPerDevice, TimeProvider clock) : IHubTopicHandler
{
    /// <inheritdoc />
    public bool Serves(string deviceId, string topic) => topic.StartsWith(Prefix(deviceId), StringComparison.Ordinal);

    /// <inheritdoc />
    public async ValueTask<HubReply?> HandleAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.AddTelemetryAsync(new TelemetryMessage(request.Hub, request.DeviceId, clock.GetUtcNow(), request.Topic[Prefix(request.DeviceId).Length..],
            request.Payload.ToArray()), telemetryPerDevice, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static string Prefix(string deviceId) => $"devices/{deviceId}/messages/events/";
}
