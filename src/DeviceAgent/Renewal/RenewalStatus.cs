using System.Globalization;
using DeviceAgent.Configuration;
using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Renewal;

/// <summary>The renewal lines of <c>deviceagent status</c>: the leaf's expiry and when it renews.</summary>
internal static class RenewalStatus
{
    /// <summary>Two aligned lines, or null when the chain cannot be read (status reports the state regardless).</summary>
    public static string? Describe(AgentConfiguration configuration, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Identity.Chain is not { } path)
            return null;
        ChainBundle bundle;
        try
        {
            bundle = ChainBundle.Load(path);
        }
        catch (Exception e) when (e is ChainBundleFormatException or IOException or UnauthorizedAccessException)
        {
            return $"expires:          unknown ({e.Message})";
        }
        using (bundle)
        {
            var schedule = RenewalSchedule.For(bundle.Leaf, configuration.Renewal);
            var now = (clock ?? TimeProvider.System).GetUtcNow();
            var next = !configuration.Renewal.Enabled ? "disabled (renewal.enabled is false)"
                : schedule.DueAt(now) switch
                {
                    RenewalDue.Expired => "the leaf has expired: re-register with the onboarding credential",
                    RenewalDue.Now => $"due now (since {Format(schedule.RenewAt)})",
                    _ => Format(schedule.RenewAt),
                };
            return $"expires:          {Format(schedule.NotAfter)}\nnext renewal:     {next}";
        }
    }

    private static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
