using System.CommandLine;
using Factory.Cli;
using Factory.Endpoint;
using Factory.Output;

namespace Factory.Commands.Hub;

/// <summary>Finding a device in the endpoint's hubs, and printing one.</summary>
internal static class HubDevices
{
    public static Option<string?> HubOption() => new("--hub") { Description = "the hub (default: the one that has the device; every hub for list)", HelpName = "NAME" };

    public static Option<string> DeviceIdOption() => new("--device-id") { Description = "the device's id in the hub", Required = true, HelpName = "ID" };

    /// <summary>The hub and device, or null when no hub (or not <paramref name="hub"/>) has it.</summary>
    /// <exception cref="UsageException">Several hubs have it and none was named.</exception>
    /// <exception cref="ProvisioningServiceException">The service refused, or the named hub does not exist.</exception>
    public static async Task<(string Hub, HubDeviceResource Device)?> FindAsync(ProvisioningServiceClient client, string deviceId, string? hub, CancellationToken cancellationToken)
    {
        var hubs = hub is not null ? [hub] : (await client.ListHubsAsync(cancellationToken)).Select(h => h.Name ?? "").ToList();
        var found = new List<(string Hub, HubDeviceResource Device)>();
        foreach (var name in hubs)
        {
            if (await client.GetHubDeviceAsync(name, deviceId, cancellationToken) is { } device)
                found.Add((name, device));
        }
        if (found.Count > 1)
            throw new UsageException($"device '{deviceId}' is in hubs {string.Join(", ", found.Select(f => f.Hub))}", "name one with --hub");
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>Prints a device after a command.</summary>
    public static void Report(Reporter reporter, string hub, string deviceId, string outcome, string headline, HubDeviceResource? device, IReadOnlyList<string>? warnings = null)
    {
        reporter.Result(new HubDeviceResult(true, hub, deviceId, outcome, device?.Status, warnings ?? []), ManagementJson.Default.HubDeviceResult);
        reporter.Line(headline);
        reporter.Field("status", device?.Status);
    }
}
