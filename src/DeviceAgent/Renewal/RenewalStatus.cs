using System.Globalization;
using DeviceAgent.Configuration;
using DeviceAgent.Identity;
using DeviceAgent.Pki.Chains;
using DeviceAgent.State;

namespace DeviceAgent.Renewal;

/// <summary>The renewal part of <c>deviceagent status</c> (and of its --json, as <c>renewal</c>).</summary>
internal sealed class RenewalStatusReport
{
    /// <summary>The chain file of the current credential.</summary>
    public string? Chain { get; init; }

    /// <summary>The current leaf's end of validity.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>The renewal point.</summary>
    public DateTimeOffset? NextRenewal { get; init; }

    /// <summary>notYet, now, expired, disabled, or unknown (the chain cannot be read).</summary>
    public required string Due { get; init; }

    /// <summary>Why the chain cannot be read.</summary>
    public string? Problem { get; init; }

    /// <summary>The generation of the current credential (1: the onboarding credential).</summary>
    public int Generation { get; init; }

    /// <summary>A renewal in progress (finished or undone at the next start).</summary>
    public string? PendingKey { get; init; }

    /// <summary>When the replaced key is destroyed.</summary>
    public DateTimeOffset? OldKeyDestroyAfter { get; init; }
}

/// <summary>The renewal lines of <c>deviceagent status</c>: the leaf's expiry and when it renews.</summary>
internal static class RenewalStatus
{
    /// <summary>The report for the current credential (the state's renewed one, else identity.chain); null when there is no chain.</summary>
    public static RenewalStatusReport? Report(AgentConfiguration configuration, AgentState? state, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (CurrentCredential.Settings(configuration, state).Chain is not { } path)
            return null;
        var generation = state?.Credential?.Generation ?? 1;
        ChainBundle bundle;
        try
        {
            bundle = ChainBundle.Load(path);
        }
        catch (Exception e) when (e is ChainBundleFormatException or IOException or UnauthorizedAccessException)
        {
            return new RenewalStatusReport { Chain = path, Due = "unknown", Problem = e.Message, Generation = generation };
        }
        using (bundle)
        {
            var schedule = RenewalSchedule.For(bundle.Leaf, configuration.Renewal);
            var now = (clock ?? TimeProvider.System).GetUtcNow();
            return new RenewalStatusReport
            {
                Chain = path,
                NotAfter = schedule.NotAfter,
                NextRenewal = schedule.RenewAt,
                Due = !configuration.Renewal.Enabled ? "disabled" : schedule.DueAt(now) switch
                {
                    RenewalDue.Expired => "expired",
                    RenewalDue.Now => "now",
                    _ => "notYet",
                },
                Generation = generation,
                PendingKey = state?.PendingRenewal?.Key,
                OldKeyDestroyAfter = state?.RetiredKey?.DestroyAfterUtc,
            };
        }
    }

    /// <summary>Aligned lines, or null when there is no chain.</summary>
    public static string? Describe(AgentConfiguration configuration, AgentState? state, TimeProvider? clock = null)
    {
        if (Report(configuration, state, clock) is not { } report)
            return null;
        if (report.NotAfter is not { } notAfter)
            return $"expires:          unknown ({report.Problem})";
        var next = report.Due switch
        {
            "disabled" => "disabled (renewal.enabled is false)",
            "expired" => "the leaf has expired: re-register with the onboarding credential",
            "now" => $"due now (since {Format(report.NextRenewal!.Value)})",
            _ => Format(report.NextRenewal!.Value),
        };
        var lines = $"expires:          {Format(notAfter)}\nnext renewal:     {next}\ncredential:       generation {report.Generation} ({report.Chain})";
        if (report.PendingKey is { } pending)
            lines += $"\nrenewal pending:  {pending} (finished or undone at the next start)";
        if (report.OldKeyDestroyAfter is { } after)
            lines += $"\nold key:          destroyed after {Format(after)}";
        return lines;
    }

    private static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
