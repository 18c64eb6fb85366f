using System.CommandLine;
using Factory.Cli;
using Factory.Commands.Entries;

namespace Factory.Commands.Enrollment;

/// <summary><c>bringup enrollment delete</c>, which warns (and asks) when an enabled group higher up the chain would take over.</summary>
internal static class DeleteCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Individual);
        var yes = EntryOptions.Yes();
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("delete",
            "delete an individual enrollment. As DPS documents, a device then enrolls through the next entry up its chain: when that is an enabled group, " +
            "this names it and deletes only with --yes (or a 'y' at the terminal); to keep devices out, disable instead. " +
            "Deleting what is not there does nothing. " + ExitCodes.Help)
        {
            id, yes,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment delete", async (parse, reporter, cancellationToken) =>
        {
            using var client = endpoint.Connect(parse);
            return await EntryDeletion.RunAsync(client, EntryKind.Individual, parse.GetRequiredValue(id), parse.GetValue(yes), reporter, cancellationToken);
        });
        return command;
    }
}
