using System.CommandLine;
using Factory.Cli;
using Factory.Endpoint;

namespace Factory.Commands.Hub;

/// <summary><c>bringup hub device disable</c>: the hub refuses the device, and disconnects it if connected.</summary>
internal static class DeviceDisableCommand
{
    public static Command Build()
    {
        var deviceId = HubDevices.DeviceIdOption();
        var hub = HubDevices.HubOption();
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("disable",
            "disable a device in its hub's identity registry: the hub disconnects it if connected and refuses it from then on. " +
            "Does nothing when it is disabled already. " + ExitCodes.Help)
        {
            deviceId, hub,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "hub device disable", async (parse, reporter, cancellationToken) =>
        {
            var id = parse.GetRequiredValue(deviceId);
            using var client = endpoint.Connect(parse);
            var (hubName, device) = await HubDevices.FindAsync(client, id, parse.GetValue(hub), cancellationToken)
                ?? throw new ProvisioningServiceException("endpoint.not-found", 404, $"no hub of {client.HostName} has device '{id}'", "bringup hub device list shows the devices");
            if (string.Equals(device.Status, "disabled", StringComparison.OrdinalIgnoreCase))
            {
                HubDevices.Report(reporter, hubName, id, "already-disabled", $"device '{id}' is disabled in hub '{hubName}' already", device);
                return ExitCodes.Success;
            }
            device.Status = "disabled";
            var updated = await client.PutHubDeviceAsync(hubName, device, cancellationToken);
            HubDevices.Report(reporter, hubName, id, "disabled", $"disabled device '{id}' in hub '{hubName}' (disconnected if it was connected)", updated);
            return ExitCodes.Success;
        });
        return command;
    }
}
