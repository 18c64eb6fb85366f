using System.Text.Json.Nodes;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// The hubs' identity registries: devices DPS assigned (X.509 thumbprint authentication bound to
/// the registering leaf) and devices changed by operators. Raises <see cref="DeviceRevoked"/> when
/// a device is disabled or deleted, so that its live connection can be closed. Thread-safe.
/// </summary>
public sealed class HubRegistry(IProvisioningStore store, TimeProvider clock)
{
    /// <summary>A device was disabled or deleted (hub, device id).</summary>
    public event Action<string, string>? DeviceRevoked;

    /// <summary>
    /// Creates the device in the hub, or updates the existing one to the new leaf's thumbprint, and
    /// records the registration, in one transaction. A device an operator disabled stays
    /// disabled: DPS assignment does not re-enable it. After a renewal (cert-renewal)
    /// <paramref name="retiringThumbprint"/> is the leaf the device registered with, accepted until it
    /// connects with the new one (<see cref="Issuance.CredentialRollover"/>).
    /// </summary>
    public async Task<HubDevice> AssignAsync(string hub, string deviceId, string thumbprint, string? initialTwinJson,
        RegistrationRecord record, CancellationToken cancellationToken, string? retiringThumbprint = null)
    {
        var now = clock.GetUtcNow();
        var existing = await store.GetHubDeviceAsync(hub, deviceId, cancellationToken).ConfigureAwait(false);
        var device = existing is null
            ? new HubDevice(hub, deviceId, HubDeviceStatus.Enabled, thumbprint, InitialTwin(initialTwinJson), Etags.New(), now, now, retiringThumbprint)
            : existing with { PrimaryThumbprint = thumbprint, SecondaryThumbprint = retiringThumbprint, Etag = Etags.New(), UpdatedUtc = now };
        await store.PutAssignmentAsync(device, record, cancellationToken).ConfigureAwait(false);
        return device;
    }

    /// <summary>Creates a device an operator added (no registration behind it).</summary>
    public async Task<HubDevice> CreateAsync(string hub, string deviceId, string thumbprint, string? initialTwinJson, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var device = new HubDevice(hub, deviceId, HubDeviceStatus.Enabled, thumbprint, InitialTwin(initialTwinJson), Etags.New(), now, now);
        await store.PutHubDeviceAsync(device, null, cancellationToken).ConfigureAwait(false);
        return device;
    }

    /// <summary>Changes a device's status.</summary>
    /// <exception cref="StoreConflictException">Stale etag.</exception>
    public async Task<HubDevice?> SetStatusAsync(string hub, string deviceId, HubDeviceStatus status, string? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await store.GetHubDeviceAsync(hub, deviceId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
            return null;
        var updated = existing with { Status = status, Etag = Etags.New(), UpdatedUtc = clock.GetUtcNow() };
        await store.PutHubDeviceAsync(updated, ifMatch, cancellationToken).ConfigureAwait(false);
        if (status == HubDeviceStatus.Disabled)
            DeviceRevoked?.Invoke(hub, deviceId);
        return updated;
    }

    /// <summary>
    /// An operator's update of a device (IoT Hub registry PUT): its status and the thumbprint it is
    /// authenticated by. A device that is disabled, or whose thumbprint changes, is disconnected.
    /// </summary>
    /// <exception cref="StoreConflictException">Stale etag.</exception>
    public async Task<HubDevice> UpdateAsync(HubDevice current, HubDeviceStatus status, string thumbprint, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var updated = current with
        {
            Status = status, PrimaryThumbprint = thumbprint, Etag = Etags.New(), UpdatedUtc = clock.GetUtcNow(),
            // cert-renewal: an operator's new thumbprint ends a pending rollover.
            SecondaryThumbprint = string.Equals(thumbprint, current.PrimaryThumbprint, StringComparison.OrdinalIgnoreCase) ? current.SecondaryThumbprint : null,
        };
        await store.PutHubDeviceAsync(updated, ifMatch ?? current.Etag, cancellationToken).ConfigureAwait(false);
        if (status == HubDeviceStatus.Disabled || !string.Equals(thumbprint, current.PrimaryThumbprint, StringComparison.OrdinalIgnoreCase))
            DeviceRevoked?.Invoke(current.Hub, current.DeviceId);
        return updated;
    }

    /// <summary>Deletes a device; false when it did not exist.</summary>
    /// <exception cref="StoreConflictException">Stale etag.</exception>
    public async Task<bool> DeleteAsync(string hub, string deviceId, string? ifMatch, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteHubDeviceAsync(hub, deviceId, ifMatch, cancellationToken).ConfigureAwait(false);
        if (deleted)
            DeviceRevoked?.Invoke(hub, deviceId);
        return deleted;
    }

    // The enrollment's initialTwin ({"tags":..., "properties":{"desired":...}}) becomes the device
    // twin, with empty reported properties.
    private static string InitialTwin(string? initialTwinJson)
    {
        var source = string.IsNullOrWhiteSpace(initialTwinJson) ? new JsonObject() : JsonNode.Parse(initialTwinJson) as JsonObject ?? new JsonObject();
        var desired = source["properties"]?["desired"]?.DeepClone() as JsonObject ?? new JsonObject();
        var twin = new JsonObject
        {
            ["tags"] = source["tags"]?.DeepClone() ?? new JsonObject(),
            ["properties"] = new JsonObject { ["desired"] = desired, ["reported"] = new JsonObject() },
        };
        return twin.ToJsonString();
    }
}
