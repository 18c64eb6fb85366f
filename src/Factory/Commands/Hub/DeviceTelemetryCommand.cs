using System.CommandLine;
using Factory.Cli;
using Factory.Endpoint;
using Factory.Output;

namespace Factory.Commands.Hub;

/// <summary>
/// <c>bringup hub device telemetry</c>: the newest messages a device sent to its hub, as the local
/// endpoint keeps them (a real IoT Hub routes telemetry to Event Hubs instead).
/// </summary>
internal static class DeviceTelemetryCommand
{
    private const int MaxLimit = 1000;

    public static Command Build()
    {
        var deviceId = HubDevices.DeviceIdOption();
        var hub = HubDevices.HubOption();
        var limit = new Option<int>("--limit") { Description = $"at most this many messages, the newest (1..{MaxLimit})", DefaultValueFactory = _ => 10, HelpName = "N" };
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("telemetry",
            "show the newest telemetry a device sent to its hub, oldest first: time received, message properties, body (text when it is UTF-8). " +
            "A local endpoint extension: a real IoT Hub routes telemetry to Event Hubs. " + ExitCodes.Help)
        {
            deviceId, hub, limit,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "hub device telemetry", async (parse, reporter, cancellationToken) =>
        {
            var id = parse.GetRequiredValue(deviceId);
            var count = parse.GetValue(limit);
            if (count is < 1 or > MaxLimit)
                throw new UsageException($"--limit {count} is out of range", $"give 1..{MaxLimit}");
            using var client = endpoint.Connect(parse);
            var (hubName, _) = await HubDevices.FindAsync(client, id, parse.GetValue(hub), cancellationToken)
                ?? throw new ProvisioningServiceException("endpoint.not-found", 404, $"no hub of {client.HostName} has device '{id}'", "bringup hub device list shows the devices");
            var messages = (await client.ListTelemetryAsync(hubName, id, count, cancellationToken))
                .Select(m => new TelemetryItem(m.ReceivedUtc, m.Properties ?? [], m.Text, m.Text is null ? m.Body : null))
                .ToList();
            reporter.Result(new HubTelemetryResult(true, hubName, id, messages), ManagementJson.Default.HubTelemetryResult);
            reporter.Line(messages.Count == 0 ? $"device '{id}' has sent no telemetry to hub '{hubName}'" : $"{messages.Count} message(s) from device '{id}' in hub '{hubName}':");
            foreach (var message in messages)
            {
                var properties = string.Join('&', message.Properties.Select(p => $"{p.Key}={p.Value}"));
                reporter.Line($"  {message.ReceivedUtc:yyyy-MM-ddTHH:mm:ss.fffZ} {(properties.Length > 0 ? properties + " " : "")}{message.Text ?? "(binary) " + message.Body}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
