using System.CommandLine;
using Factory.Cli;
using Factory.Commands.Entries;

namespace Factory.Commands.Enrollment;

/// <summary><c>bringup enrollment enable</c>: the device provisions again.</summary>
internal static class EnableCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Individual);
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("enable", "enable an individual enrollment: the device provisions again. Does nothing when it is enabled already. " + ExitCodes.Help) { id };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment enable", async (parse, reporter, cancellationToken) =>
        {
            using var client = endpoint.Connect(parse);
            return await EntryStatusChange.RunAsync(client, EntryKind.Individual, parse.GetRequiredValue(id), enable: true, reporter, cancellationToken);
        });
        return command;
    }
}
