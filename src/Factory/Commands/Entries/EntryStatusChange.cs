using Factory.Cli;
using Factory.Endpoint;

namespace Factory.Commands.Entries;

/// <summary>
/// Enabling or disabling an entry: read it, change <c>provisioningStatus</c>, write it back with its
/// etag (everything else as read). An entry already in that state is left alone.
/// </summary>
internal static class EntryStatusChange
{
    public static async Task<int> RunAsync(ProvisioningServiceClient client, EntryKind kind, string id, bool enable, Reporter reporter, CancellationToken cancellationToken)
    {
        var entry = await kind.RequireAsync(client, id, cancellationToken);
        var target = enable ? "enabled" : "disabled";
        if (string.Equals(entry.ProvisioningStatus, target, StringComparison.OrdinalIgnoreCase))
        {
            EntryReport.Print(reporter, kind, id, "already-" + target, $"{kind.Noun} '{id}' is {target} already", entry);
            return ExitCodes.Success;
        }
        entry.ProvisioningStatus = target;
        var updated = await kind.PutAsync(client, entry, entry.Etag, cancellationToken);
        var notes = new List<string>();
        if (!enable)
        {
            // DPS's unprovisioning steps: the entry stops new registrations; provisioned devices stay in their hubs.
            notes.Add(kind == EntryKind.Group
                ? $"devices the group provisioned stay in their hubs: 'bringup enrollment-group devices --id {id}' lists them, 'bringup hub device disable --device-id ID' disables one"
                : $"the device stays in its hub: 'bringup hub device disable --device-id {id}' disables it there");
        }
        foreach (var note in notes)
            Reporter.Note(note);
        EntryReport.Print(reporter, kind, id, target, $"{kind.Noun} '{id}' is {target}", updated, notes);
        return ExitCodes.Success;
    }
}
