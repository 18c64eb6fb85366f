using System.CommandLine;
using Factory.Cli;
using Factory.Commands.Entries;

namespace Factory.Commands.EnrollmentGroup;

/// <summary><c>bringup enrollment-group enable</c>: devices under the group's signing certificate provision again.</summary>
internal static class EnableCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Group);
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("enable", "enable an enrollment group: devices under its signing certificate provision again. Does nothing when it is enabled already. " + ExitCodes.Help) { id };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment-group enable", async (parse, reporter, cancellationToken) =>
        {
            using var client = endpoint.Connect(parse);
            return await EntryStatusChange.RunAsync(client, EntryKind.Group, parse.GetRequiredValue(id), enable: true, reporter, cancellationToken);
        });
        return command;
    }
}
