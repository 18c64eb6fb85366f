using DeviceAgent.Provisioning.Client;

namespace DeviceAgent.Runtime;

/// <summary>Timing of the daemon's loops (tests shorten them).</summary>
public sealed record RuntimeOptions
{
    /// <summary>First wait after a transient failure (connection lost, DPS 5xx), doubled up to <see cref="TransientMaximum"/>.</summary>
    public TimeSpan TransientMinimum { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait after transient failures.</summary>
    public TimeSpan TransientMaximum { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait after DPS refused the device (disabled, no enrollment), doubled up to <see cref="RefusedMaximum"/>.</summary>
    public TimeSpan RefusedMinimum { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest wait after refusals.</summary>
    public TimeSpan RefusedMaximum { get; init; } = TimeSpan.FromHours(1);

    /// <summary>First wait before re-provisioning because the hub refused the device, doubled up to <see cref="ReprovisionMaximum"/>: no storm against DPS.</summary>
    public TimeSpan ReprovisionMinimum { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait before re-provisioning.</summary>
    public TimeSpan ReprovisionMaximum { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The DPS client's patience.</summary>
    public DpsClientOptions Dps { get; init; } = new();

    /// <summary>Called after each step of a renewal (<see cref="Renewal.CertificateRenewal.StepReached"/>; the crash harness), on the thread that took it.</summary>
    public Action<Renewal.RenewalStep>? RenewalStepReached { get; init; }
}
