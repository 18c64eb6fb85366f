using Factory.Cli;
using Factory.Endpoint;
using Factory.Output;

namespace Factory.Commands.Entries;

/// <summary>How the entry commands print an entry (text, or the JSON document with --json).</summary>
internal static class EntryReport
{
    public static void Print(Reporter reporter, EntryKind kind, string id, string outcome, string headline, EnrollmentResource? entry,
        IReadOnlyList<string>? warnings = null)
    {
        var info = entry?.CertificateInfo;
        var certificate = entry is null ? null : new EntryCertificate(info?.SubjectName, info?.Sha1Thumbprint, info?.IssuerName, entry.CaReference);
        reporter.Result(new EntryResult(true, kind.Name, id, outcome, entry?.ProvisioningStatus, certificate, entry?.AllocationPolicy, entry?.IotHubs,
            entry?.CreatedDateTimeUtc, entry?.LastUpdatedDateTimeUtc, warnings ?? []), ManagementJson.Default.EntryResult);
        reporter.Line(headline);
        if (entry is null)
            return;
        reporter.Field("status", entry.ProvisioningStatus);
        if (entry.CaReference is { } reference)
            reporter.Field("CA", $"'{reference}' (by reference)");
        reporter.Field("subject", info?.SubjectName);
        reporter.Field("issuer", info?.IssuerName);
        reporter.Field("SHA-1", info?.Sha1Thumbprint);
        reporter.Field("allocation", entry.AllocationPolicy + (entry.IotHubs is { Count: > 0 } hubs ? $" over {string.Join(", ", hubs)}" : " over every hub"));
        if (entry.LastUpdatedDateTimeUtc is { } updated)
            reporter.Field("updated", TextFormat.Instant(updated));
    }
}
