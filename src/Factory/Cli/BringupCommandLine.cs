using System.CommandLine;
using Factory.Commands;
using Factory.Commands.Ca;
using Factory.Commands.Device;

namespace Factory.Cli;

/// <summary>The <c>bringup</c> command line.</summary>
internal static class BringupCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "bringup: factory bring-up for DPS X.509 devices: a CA hierarchy whose keys live in an HSM, a TPM or encrypted files, " +
            "proof-of-possession certificates, and device identities whose keys are generated inside the device's token. " + ExitCodes.Help);
        var ca = new Command("ca", "CA hierarchy: create roots and intermediates (any depth), import existing CAs, prove possession for DPS; upload, verify and list CA certificates on the provisioning service");
        ca.Subcommands.Add(CreateRootCommand.Build());
        ca.Subcommands.Add(CreateIntermediateCommand.Build());
        ca.Subcommands.Add(SignRequestCommand.Build()); // cert-renewal
        ca.Subcommands.Add(ImportCommand.Build());
        ca.Subcommands.Add(ProveCommand.Build());
        ca.Subcommands.Add(UploadCommand.Build());
        ca.Subcommands.Add(VerifyCommand.Build());
        ca.Subcommands.Add(ListCommand.Build());
        var device = new Command("device", "device identities: key in the device's token, leaf from a line CA, chain.pem + root.pem");
        device.Subcommands.Add(CreateCommand.Build());
        device.Subcommands.Add(IssueCommand.Build());
        device.Subcommands.Add(BatchCommand.Build());
        var group = new Command("enrollment-group", "enrollment groups on the provisioning service: every device whose chain holds a signing certificate");
        group.Subcommands.Add(Commands.EnrollmentGroup.CreateCommand.Build());
        group.Subcommands.Add(Commands.EnrollmentGroup.ShowCommand.Build());
        group.Subcommands.Add(Commands.Entries.EntryCommands.StatusChange(Commands.Entries.EntryKind.Group, enable: true, "devices under its signing certificate provision again"));
        group.Subcommands.Add(Commands.Entries.EntryCommands.StatusChange(Commands.Entries.EntryKind.Group, enable: false,
            "devices under its signing certificate are refused (blocks the certificate); devices it provisioned stay in their hubs"));
        group.Subcommands.Add(Commands.Entries.EntryCommands.Delete(Commands.Entries.EntryKind.Group));
        group.Subcommands.Add(Commands.EnrollmentGroup.DevicesCommand.Build());
        var enrollment = new Command("enrollment", "individual enrollments on the provisioning service: one device certificate each, deciding before any group");
        enrollment.Subcommands.Add(Commands.Enrollment.CreateCommand.Build());
        enrollment.Subcommands.Add(Commands.Entries.EntryCommands.StatusChange(Commands.Entries.EntryKind.Individual, enable: true, "the device provisions again"));
        enrollment.Subcommands.Add(Commands.Entries.EntryCommands.StatusChange(Commands.Entries.EntryKind.Individual, enable: false,
            "the device is refused, whatever groups its chain has; it stays in its hub"));
        enrollment.Subcommands.Add(Commands.Entries.EntryCommands.Delete(Commands.Entries.EntryKind.Individual));
        var hub = new Command("hub", "the identity registries of the local endpoint's hubs");
        var hubDevice = new Command("device", "devices in the hubs' identity registries");
        hubDevice.Subcommands.Add(Commands.Hub.DeviceListCommand.Build());
        hubDevice.Subcommands.Add(Commands.Hub.DeviceDisableCommand.Build());
        hubDevice.Subcommands.Add(Commands.Hub.DeviceDeleteCommand.Build());
        hubDevice.Subcommands.Add(Commands.Hub.DeviceTelemetryCommand.Build());
        hub.Subcommands.Add(hubDevice);
        root.Subcommands.Add(ca);
        root.Subcommands.Add(device);
        root.Subcommands.Add(group);
        root.Subcommands.Add(enrollment);
        root.Subcommands.Add(hub);
        root.Subcommands.Add(InspectCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync($"{Reporter.Prefix}: error: {Lower(error.Message)}").ConfigureAwait(false);
            var command = string.Join(' ', parse.CommandResult.Command is RootCommand ? [] : CommandPath(parse));
            await Console.Error.WriteLineAsync($"hint: bringup {(command.Length > 0 ? command + " " : "")}--help").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result?.Command is { } command && command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, command.Name);
        return names;
    }

    private static string Lower(string message) => message.Length > 0 && char.IsUpper(message[0]) && (message.Length == 1 || !char.IsUpper(message[1]))
        ? char.ToLowerInvariant(message[0]) + message[1..]
        : message;
}
