namespace DeviceAgent.Renewal;

/// <summary>
/// When and how the agent renews its leaf (the <c>renewal</c> section of agent.json): at a point
/// drawn between <see cref="WindowStart"/> and <see cref="WindowEnd"/> of the leaf's lifetime,
/// retrying with capped, jittered backoff; the old key is destroyed <see cref="OldKeyGracePeriod"/>
/// after the new identity is committed.
/// </summary>
public sealed class RenewalSettings
{
    /// <summary><c>renewal.enabled</c>: renew at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>renewal.windowStart</c>: the earliest renewal point, as a fraction of the lifetime (default 0.70).</summary>
    public double WindowStart { get; set; } = 0.70;

    /// <summary><c>renewal.windowEnd</c>: the latest renewal point, as a fraction of the lifetime (default 0.90).</summary>
    public double WindowEnd { get; set; } = 0.90;

    /// <summary><c>renewal.retryCap</c>: the longest wait between failed attempts, as a fraction of the lifetime (default 0.04).</summary>
    public double RetryCap { get; set; } = 0.04;

    /// <summary><c>renewal.oldKeyGracePeriod</c>: how long the replaced key is kept after the commit (default 1 hour).</summary>
    public TimeSpan OldKeyGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// <c>renewal.clockCheckInterval</c>: the longest the daemon sleeps between two looks at the wall clock
    /// (default 1 minute): a clock that jumps past the renewal point renews within it. Measured on the monotonic clock.
    /// </summary>
    public TimeSpan ClockCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>renewal.trust</c>: a PEM file of the roots an issued chain must build to. Unset: the top
    /// certificate of the device's current chain bundle (its root when the bundle carries one).
    /// </summary>
    public string? Trust { get; set; }

    /// <summary>
    /// <c>renewal.keepOnboardingCredential</c>: never destroy identity.key (the onboarding key), so that a
    /// device whose renewed leaf expired (powered off too long) re-registers with identity.key and
    /// identity.chain, while those are valid, asking for a fresh leaf. Default false: the onboarding key
    /// is retired like any other, and an expired leaf stops the agent with an error.
    /// </summary>
    public bool KeepOnboardingCredential { get; set; }

    /// <summary>The first problem with the settings, or null.</summary>
    public string? FindProblem() =>
        WindowStart is <= 0 or >= 1 || WindowEnd is <= 0 or >= 1 || WindowStart > WindowEnd
            ? $"renewal.windowStart ({WindowStart}) and renewal.windowEnd ({WindowEnd}) must be fractions of the lifetime with 0 < start <= end < 1, e.g. 0.70 and 0.90"
            : RetryCap is <= 0 or >= 0.5
                ? $"renewal.retryCap ({RetryCap}) must be a fraction of the lifetime between 0 and 0.5, e.g. 0.04"
                : OldKeyGracePeriod < TimeSpan.Zero
                    ? "renewal.oldKeyGracePeriod must not be negative"
                    : ClockCheckInterval < TimeSpan.FromMilliseconds(100)
                        ? $"renewal.clockCheckInterval ({ClockCheckInterval}) must be at least 00:00:00.1, e.g. 00:01:00"
                        : null;
}
