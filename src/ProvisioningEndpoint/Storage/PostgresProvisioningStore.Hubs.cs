using Npgsql;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

// Hub identity registries and telemetry.
public sealed partial class PostgresProvisioningStore
{
    private const string HubDeviceColumns = "hub, device_id, status, primary_thumbprint, twin, etag, created, updated, secondary_thumbprint";

    /// <inheritdoc />
    public async Task<HubDevice?> GetHubDeviceAsync(string hub, string deviceId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {HubDeviceColumns} FROM hub_devices WHERE hub = @hub AND device_id = @id", ReadHubDevice,
            cancellationToken, ("hub", hub), ("id", deviceId)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<HubDevice>> ListHubDevicesAsync(string hub, CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {HubDeviceColumns} FROM hub_devices WHERE hub = @hub ORDER BY device_id", ReadHubDevice,
            cancellationToken, ("hub", hub)).ConfigureAwait(false);

    /// <inheritdoc />
    public Task PutHubDeviceAsync(HubDevice device, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM hub_devices WHERE hub = @hub AND device_id = @id", ifMatch,
                $"device '{device.DeviceId}' of hub '{device.Hub}'", cancellationToken, ("hub", device.Hub), ("id", device.DeviceId)).ConfigureAwait(false);
            return await UpsertHubDeviceAsync(connection, transaction, device, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static Task<int> UpsertHubDeviceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, HubDevice device, CancellationToken cancellationToken) =>
        Execute(connection,
            $"""
            INSERT INTO hub_devices ({HubDeviceColumns}) VALUES (@hub, @id, @status, @thumbprint, @twin, @etag, @created, @updated, @secondary)
            ON CONFLICT (hub, device_id) DO UPDATE SET status = excluded.status, primary_thumbprint = excluded.primary_thumbprint,
                twin = excluded.twin, etag = excluded.etag, updated = excluded.updated, secondary_thumbprint = excluded.secondary_thumbprint
            """, cancellationToken, transaction, ("secondary", device.SecondaryThumbprint),
            ("hub", device.Hub), ("id", device.DeviceId), ("status", device.Status.ToString()), ("thumbprint", device.PrimaryThumbprint),
            ("twin", device.TwinJson), ("etag", device.Etag), ("created", Time(device.CreatedUtc)), ("updated", Time(device.UpdatedUtc)));

    /// <inheritdoc />
    public Task<bool> DeleteHubDeviceAsync(string hub, string deviceId, string? ifMatch, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM hub_devices WHERE hub = @hub AND device_id = @id", ifMatch,
                $"device '{deviceId}' of hub '{hub}'", cancellationToken, ("hub", hub), ("id", deviceId)).ConfigureAwait(false);
            var deleted = await Execute(connection, "DELETE FROM hub_devices WHERE hub = @hub AND device_id = @id", cancellationToken, transaction,
                ("hub", hub), ("id", deviceId)).ConfigureAwait(false) > 0;
            await Execute(connection, "DELETE FROM telemetry WHERE hub = @hub AND device_id = @id", cancellationToken, transaction,
                ("hub", hub), ("id", deviceId)).ConfigureAwait(false);
            return deleted;
        }, cancellationToken);

    /// <inheritdoc />
    public Task AddTelemetryAsync(TelemetryMessage message, int keepPerDevice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await Execute(connection, "INSERT INTO telemetry (hub, device_id, received, properties, body) VALUES (@hub, @id, @received, @properties, @body)",
                cancellationToken, transaction, ("hub", message.Hub), ("id", message.DeviceId), ("received", Time(message.ReceivedUtc)),
                ("properties", message.Properties), ("body", message.Body)).ConfigureAwait(false);
            return await Execute(connection,
                """
                DELETE FROM telemetry WHERE hub = @hub AND device_id = @id AND id <= (
                    SELECT id FROM telemetry WHERE hub = @hub AND device_id = @id ORDER BY id DESC LIMIT 1 OFFSET @keep)
                """, cancellationToken, transaction, ("hub", message.Hub), ("id", message.DeviceId), ("keep", keepPerDevice)).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TelemetryMessage>> ListTelemetryAsync(string hub, string deviceId, int limit, CancellationToken cancellationToken = default)
    {
        var newestFirst = await QueryAsync(
            "SELECT hub, device_id, received, properties, body FROM telemetry WHERE hub = @hub AND device_id = @id ORDER BY id DESC LIMIT @limit",
            r => new TelemetryMessage(r.GetString(0), r.GetString(1), Time(r, 2), r.GetString(3), (byte[])r[4]),
            cancellationToken, ("hub", hub), ("id", deviceId), ("limit", limit)).ConfigureAwait(false);
        newestFirst.Reverse();
        return newestFirst;
    }

    private static HubDevice ReadHubDevice(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), Enum.Parse<HubDeviceStatus>(r.GetString(2)), r.GetString(3), r.GetString(4),
        r.GetString(5), Time(r, 6), Time(r, 7), NullableString(r, 8));
}
