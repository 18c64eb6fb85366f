using Factory.Cli;
using Factory.Endpoint;

namespace Factory.Commands.Entries;

/// <summary>
/// Deleting an entry, with the warning of DPS's documentation: when an enabled group higher up the
/// chain would then decide, the device(s) can enroll again. The command names that group before it
/// deletes anything and asks for confirmation (--yes, or an interactive "y"). A missing entry is
/// already deleted.
/// </summary>
internal static class EntryDeletion
{
    public static async Task<int> RunAsync(ProvisioningServiceClient client, EntryKind kind, string id, bool yes, Reporter reporter, CancellationToken cancellationToken)
    {
        var entry = await kind.GetAsync(client, id, cancellationToken);
        if (entry is null)
        {
            EntryReport.Print(reporter, kind, id, "already-deleted", $"there is no {kind.Noun} '{id}' on {client.HostName} (already deleted)", null);
            return ExitCodes.Success;
        }
        var devices = kind == EntryKind.Group ? "its devices" : $"device '{id}'";
        var above = await EntryAbove.FindAsync(client, entry, cancellationToken);
        var warnings = new List<string>();
        if (above is not null && string.Equals(above.ProvisioningStatus, "enabled", StringComparison.OrdinalIgnoreCase))
        {
            var warning = $"deleting {kind.Noun} '{id}' lets {devices} enroll again through enrollment group '{above.EnrollmentGroupId}', which is enabled, " +
                $"higher up the chain (signing certificate \"{above.CertificateInfo?.SubjectName ?? above.CaReference}\")";
            Console.Error.WriteLine($"{Reporter.Prefix}: warning: {warning}");
            Confirmation.Require(yes, $"delete {kind.Noun} '{id}' anyway?", $"{kind.Noun} '{id}' was not deleted: {warning}",
                $"to keep {devices} out, disable it instead (bringup {kind.Command} disable {kind.IdOption} {id}); to delete it anyway, pass --yes");
            warnings.Add(warning);
        }
        else if (above is not null)
        {
            Reporter.Note($"enrollment group '{above.EnrollmentGroupId}' higher up the chain is disabled: {devices} stay refused");
        }
        await kind.DeleteAsync(client, id, entry.Etag!, cancellationToken);
        EntryReport.Print(reporter, kind, id, "deleted", $"deleted {kind.Noun} '{id}'", entry, warnings);
        return ExitCodes.Success;
    }
}
