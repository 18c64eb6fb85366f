namespace Factory.Endpoint;

// The endpoint's hub registries (/hubs and /hubs/{hub}/devices, IoT Hub device shapes).
internal sealed partial class ProvisioningServiceClient
{
    public async Task<IReadOnlyList<HubResource>> ListHubsAsync(CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, "/hubs", ServiceJson.Default.ListHubResource, cancellationToken).ConfigureAwait(false) ?? [];

    public async Task<IReadOnlyList<HubDeviceResource>> ListHubDevicesAsync(string hub, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, $"/hubs/{Uri.EscapeDataString(hub)}/devices", ServiceJson.Default.ListHubDeviceResource, cancellationToken).ConfigureAwait(false) ?? [];

    public Task<HubDeviceResource?> GetHubDeviceAsync(string hub, string deviceId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/hubs/{Uri.EscapeDataString(hub)}/devices/{Uri.EscapeDataString(deviceId)}", ServiceJson.Default.HubDeviceResource,
            cancellationToken, notFoundIsNull: true);

    /// <summary>Replaces a device (read-modify-write with its etag).</summary>
    public async Task<HubDeviceResource> PutHubDeviceAsync(string hub, HubDeviceResource device, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Put, $"/hubs/{Uri.EscapeDataString(hub)}/devices/{Uri.EscapeDataString(device.DeviceId!)}", ServiceJson.Default.HubDeviceResource,
            cancellationToken, body: Json(device, ServiceJson.Default.HubDeviceResource), ifMatch: "\"" + device.Etag + "\"").ConfigureAwait(false))!;

    public async Task DeleteHubDeviceAsync(string hub, string deviceId, string etag, CancellationToken cancellationToken) =>
        await SendAsync<string>(HttpMethod.Delete, $"/hubs/{Uri.EscapeDataString(hub)}/devices/{Uri.EscapeDataString(deviceId)}", null, cancellationToken,
            ifMatch: "\"" + etag + "\"").ConfigureAwait(false);

    /// <summary>A device's newest telemetry, oldest first (the endpoint's local extension; IoT Hub has Event Hubs for this).</summary>
    public async Task<IReadOnlyList<TelemetryResource>> ListTelemetryAsync(string hub, string deviceId, int limit, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, $"/hubs/{Uri.EscapeDataString(hub)}/devices/{Uri.EscapeDataString(deviceId)}/messages/events?limit={limit}",
            ServiceJson.Default.ListTelemetryResource, cancellationToken).ConfigureAwait(false) ?? [];
}
