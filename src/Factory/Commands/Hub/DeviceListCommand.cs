using System.CommandLine;
using Factory.Cli;
using Factory.Output;

namespace Factory.Commands.Hub;

/// <summary><c>bringup hub device list</c>: the devices of the endpoint's hubs.</summary>
internal static class DeviceListCommand
{
    public static Command Build()
    {
        var hub = HubDevices.HubOption();
        var deviceId = new Option<string?>("--device-id") { Description = "only this device", HelpName = "ID" };
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("list", "list the devices in the identity registries of the endpoint's hubs (or of --hub): id, enabled or disabled. " + ExitCodes.Help)
        {
            hub, deviceId,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "hub device list", async (parse, reporter, cancellationToken) =>
        {
            using var client = endpoint.Connect(parse);
            var hubs = parse.GetValue(hub) is { } named ? [named] : (await client.ListHubsAsync(cancellationToken)).Select(h => h.Name ?? "").ToList();
            var only = parse.GetValue(deviceId);
            var devices = new List<HubDeviceItem>();
            foreach (var name in hubs)
            {
                devices.AddRange((await client.ListHubDevicesAsync(name, cancellationToken))
                    .Where(d => only is null || d.DeviceId == only)
                    .Select(d => new HubDeviceItem(name, d.DeviceId, d.Status, d.StatusUpdatedTime)));
            }
            reporter.Result(new HubDevicesResult(true, devices), ManagementJson.Default.HubDevicesResult);
            reporter.Line(devices.Count == 0 ? $"no device in {string.Join(", ", hubs)}" : $"{devices.Count} device(s):");
            foreach (var device in devices)
                reporter.Line($"  {device.Hub,-10} {device.DeviceId,-24} {device.Status}");
            return ExitCodes.Success;
        });
        return command;
    }
}
