using System.CommandLine;
using Factory.Cli;
using Factory.Commands.Entries;

namespace Factory.Commands.EnrollmentGroup;

/// <summary><c>bringup enrollment-group show</c>: a group's status, signing certificate and allocation.</summary>
internal static class ShowCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Group);
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("show", "show an enrollment group: status, signing certificate, allocation, last change. " + ExitCodes.Help) { id };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment-group show", async (parse, reporter, cancellationToken) =>
        {
            var groupId = parse.GetRequiredValue(id);
            using var client = endpoint.Connect(parse);
            var group = await EntryKind.Group.RequireAsync(client, groupId, cancellationToken);
            EntryReport.Print(reporter, EntryKind.Group, groupId, "shown", $"enrollment group '{groupId}' on {client.HostName}", group);
            return ExitCodes.Success;
        });
        return command;
    }
}
