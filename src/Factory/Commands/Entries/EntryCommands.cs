using System.CommandLine;
using Factory.Cli;

namespace Factory.Commands.Entries;

/// <summary>
/// The enable, disable and delete commands, the same for both kinds of enrollment entry: the
/// entry's id option, the connection options, --json, and the shared status change or deletion.
/// </summary>
internal static class EntryCommands
{
    /// <summary><c>bringup enrollment[-group] enable|disable</c>; <paramref name="effect"/> says what it does to devices.</summary>
    public static Command StatusChange(EntryKind kind, bool enable, string effect)
    {
        var verb = enable ? "enable" : "disable";
        var id = EntryOptions.Id(kind);
        var command = new Command(verb, $"{verb} an {kind.Noun}: {effect}. Does nothing when it is {verb}d already. " + ExitCodes.Help) { id };
        return WithEndpoint(command, $"{kind.Command} {verb}", (client, parse, reporter, cancellationToken) =>
            EntryStatusChange.RunAsync(client, kind, parse.GetRequiredValue(id), enable, reporter, cancellationToken));
    }

    /// <summary><c>bringup enrollment[-group] delete</c>, which warns (and asks) when an enabled group higher up the chain would take over.</summary>
    public static Command Delete(EntryKind kind)
    {
        var id = EntryOptions.Id(kind);
        var yes = EntryOptions.Yes();
        var command = new Command("delete",
            $"delete an {kind.Noun}. As DPS documents, a device then enrolls through the next entry up its chain: when that is an enabled group, " +
            "this names it and deletes only with --yes (or a 'y' at the terminal); to keep devices out, disable instead. " +
            "Deleting what is not there does nothing. " + ExitCodes.Help)
        {
            id, yes,
        };
        return WithEndpoint(command, $"{kind.Command} delete", (client, parse, reporter, cancellationToken) =>
            EntryDeletion.RunAsync(client, kind, parse.GetRequiredValue(id), parse.GetValue(yes), reporter, cancellationToken));
    }

    private static Command WithEndpoint(Command command, string label,
        Func<Endpoint.ProvisioningServiceClient, ParseResult, Reporter, CancellationToken, Task<int>> run)
    {
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, label, async (parse, reporter, cancellationToken) =>
        {
            using var client = endpoint.Connect(parse);
            return await run(client, parse, reporter, cancellationToken);
        });
        return command;
    }
}
