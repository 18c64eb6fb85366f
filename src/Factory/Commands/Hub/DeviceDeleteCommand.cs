using System.CommandLine;
using Factory.Cli;

namespace Factory.Commands.Hub;

/// <summary>
/// <c>bringup hub device delete</c>: removes a device from its hub (disconnecting it). It notes when
/// the device's last registration was assigned: unless its enrollment entry is disabled, it can
/// provision again and be re-created.
/// </summary>
internal static class DeviceDeleteCommand
{
    public static Command Build()
    {
        var deviceId = HubDevices.DeviceIdOption();
        var hub = HubDevices.HubOption();
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("delete",
            "delete a device from its hub's identity registry (and its telemetry); the hub disconnects it if connected. Unprovision it " +
            "first (disable its enrollment entry), or it can register again and come back. Deleting what is not there does nothing. " + ExitCodes.Help)
        {
            deviceId, hub,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "hub device delete", async (parse, reporter, cancellationToken) =>
        {
            var id = parse.GetRequiredValue(deviceId);
            using var client = endpoint.Connect(parse);
            if (await HubDevices.FindAsync(client, id, parse.GetValue(hub), cancellationToken) is not var (hubName, device))
            {
                HubDevices.Report(reporter, parse.GetValue(hub) ?? "", id, "already-deleted", $"no hub of {client.HostName} has device '{id}' (already deleted)", null);
                return ExitCodes.Success;
            }
            var warnings = new List<string>();
            if (await client.GetRegistrationAsync(id, cancellationToken) is { Status: "assigned" })
            {
                warnings.Add($"device '{id}' is still enrolled (its last registration was assigned): unless its enrollment entry is disabled, it can register again and be re-created in a hub");
                Reporter.Note(warnings[0]);
            }
            await client.DeleteHubDeviceAsync(hubName, id, device.Etag!, cancellationToken);
            HubDevices.Report(reporter, hubName, id, "deleted", $"deleted device '{id}' from hub '{hubName}'", null, warnings);
            return ExitCodes.Success;
        });
        return command;
    }
}
