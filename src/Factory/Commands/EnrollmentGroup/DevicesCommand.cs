using System.CommandLine;
using Factory.Cli;
using Factory.Commands.Entries;
using Factory.Output;

namespace Factory.Commands.EnrollmentGroup;

/// <summary><c>bringup enrollment-group devices</c>: the devices provisioned through a group and the hub each went to.</summary>
internal static class DevicesCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Group);
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("devices",
            "list the devices an enrollment group decided: registration id, device id, status (assigned, or refused while the group was " +
            "disabled), the hub each went to, last registration. " + ExitCodes.Help)
        {
            id,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment-group devices", async (parse, reporter, cancellationToken) =>
        {
            var groupId = parse.GetRequiredValue(id);
            using var client = endpoint.Connect(parse);
            var devices = (await client.QueryGroupRegistrationsAsync(groupId, cancellationToken)).Select(r =>
                new GroupDevice(r.RegistrationId, r.DeviceId, r.Status, r.AssignedHub, r.LastUpdatedDateTimeUtc, r.ErrorMessage)).ToList();
            reporter.Result(new GroupDevicesResult(true, groupId, devices), ManagementJson.Default.GroupDevicesResult);
            reporter.Line(devices.Count == 0 ? $"no device has registered through enrollment group '{groupId}'" : $"{devices.Count} device(s) of enrollment group '{groupId}':");
            foreach (var device in devices)
            {
                reporter.Line($"  {device.RegistrationId,-24} {device.Status,-10} {(device.AssignedHub is { } hub ? $"hub {hub}" : device.ErrorMessage)}" +
                    (device.LastUpdated is { } at ? $"  ({TextFormat.Instant(at)})" : ""));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
