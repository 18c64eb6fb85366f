using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// Reading telemetry back from the store. The hub acknowledges a QoS 1 publish once the message is
/// queued for the store, so the store may lag a moment behind the device's PUBACK.
/// </summary>
internal static class StoredTelemetry
{
    /// <summary>The newest messages once at least <paramref name="count"/> are stored, or what is stored after 5 s.</summary>
    public static async Task<IReadOnlyList<TelemetryMessage>> WaitForAsync(IProvisioningStore store, string hub, string deviceId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var telemetry = await store.ListTelemetryAsync(hub, deviceId, Math.Max(count, 10));
            if (telemetry.Count >= count || DateTime.UtcNow > deadline)
                return telemetry;
            await Task.Delay(25);
        }
    }
}
