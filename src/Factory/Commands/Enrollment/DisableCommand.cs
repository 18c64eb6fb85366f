using System.CommandLine;
using Factory.Cli;
using Factory.Commands.Entries;

namespace Factory.Commands.Enrollment;

/// <summary><c>bringup enrollment disable</c>: blocks one device, whatever groups its chain has.</summary>
internal static class DisableCommand
{
    public static Command Build()
    {
        var id = EntryOptions.Id(EntryKind.Individual);
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("disable", "disable an individual enrollment: the device is refused, whatever groups its chain has; it stays in its hub. Does nothing when it is disabled already. " + ExitCodes.Help) { id };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "enrollment disable", async (parse, reporter, cancellationToken) =>
        {
            using var client = endpoint.Connect(parse);
            return await EntryStatusChange.RunAsync(client, EntryKind.Individual, parse.GetRequiredValue(id), enable: false, reporter, cancellationToken);
        });
        return command;
    }
}
