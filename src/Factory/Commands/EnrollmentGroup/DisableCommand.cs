using System.CommandLine;
using Factory.Cli;
using Factory.Commands.Entries;

namespace Factory.Commands.EnrollmentGroup;

/// <summary><c>bringup enrollment-group disable</c>: blocks the group's signing certificate.</summary>
internal static class DisableCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Group);
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("disable", "disable an enrollment group: devices under its signing certificate are refused (blocks the certificate); devices it provisioned stay in their hubs. Does nothing when it is disabled already. " + ExitCodes.Help) { id };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment-group disable", async (parse, reporter, cancellationToken) =>
        {
            using var client = endpoint.Connect(parse);
            return await EntryStatusChange.RunAsync(client, EntryKind.Group, parse.GetRequiredValue(id), enable: false, reporter, cancellationToken);
        });
        return command;
    }
}
