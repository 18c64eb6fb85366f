using DeviceAgent.Runtime;

namespace DeviceAgent.Configuration;

/// <summary>
/// The <c>retry</c> section of agent.json: how long the agent waits after failures. Each wait
/// starts at its minimum and doubles (with ±25% jitter) up to its maximum, so that a fleet that
/// lost its service comes back spread out, not in a stampede.
/// </summary>
public sealed class RetrySettings
{
    /// <summary><c>retry.transientMinimumSeconds</c>: after a lost connection or a DPS 5xx (default 5).</summary>
    public double TransientMinimumSeconds { get; set; } = 5;

    /// <summary><c>retry.transientMaximumSeconds</c> (default 300).</summary>
    public double TransientMaximumSeconds { get; set; } = 300;

    /// <summary><c>retry.refusedMinimumSeconds</c>: after DPS refused the device (default 300).</summary>
    public double RefusedMinimumSeconds { get; set; } = 300;

    /// <summary><c>retry.refusedMaximumSeconds</c> (default 3600).</summary>
    public double RefusedMaximumSeconds { get; set; } = 3600;

    /// <summary><c>retry.reprovisionMinimumSeconds</c>: before provisioning again because the hub refused the device (default 30).</summary>
    public double ReprovisionMinimumSeconds { get; set; } = 30;

    /// <summary><c>retry.reprovisionMaximumSeconds</c> (default 3600).</summary>
    public double ReprovisionMaximumSeconds { get; set; } = 3600;

    /// <summary>The runtime options these settings describe.</summary>
    /// <exception cref="ConfigurationException">A value is negative or a minimum exceeds its maximum.</exception>
    public RuntimeOptions ToRuntimeOptions(string origin)
    {
        Check(origin, "transient", TransientMinimumSeconds, TransientMaximumSeconds);
        Check(origin, "refused", RefusedMinimumSeconds, RefusedMaximumSeconds);
        Check(origin, "reprovision", ReprovisionMinimumSeconds, ReprovisionMaximumSeconds);
        return new RuntimeOptions
        {
            TransientMinimum = TimeSpan.FromSeconds(TransientMinimumSeconds),
            TransientMaximum = TimeSpan.FromSeconds(TransientMaximumSeconds),
            RefusedMinimum = TimeSpan.FromSeconds(RefusedMinimumSeconds),
            RefusedMaximum = TimeSpan.FromSeconds(RefusedMaximumSeconds),
            ReprovisionMinimum = TimeSpan.FromSeconds(ReprovisionMinimumSeconds),
            ReprovisionMaximum = TimeSpan.FromSeconds(ReprovisionMaximumSeconds),
        };
    }

    private static void Check(string origin, string name, double minimum, double maximum)
    {
        if (minimum < 0 || maximum < minimum)
            throw new ConfigurationException($"{origin}: retry.{name}MinimumSeconds ({minimum}) must be >= 0 and <= retry.{name}MaximumSeconds ({maximum})");
    }
}
