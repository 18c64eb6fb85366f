namespace DeviceAgent.Hardware.Status;

/// <summary>
/// A repeating sequence of on/off steps. Each <see cref="DeviceState"/> has its own, chosen to be
/// told apart at a glance: slow blink, fast blink, steady on, double flash.
/// </summary>
public sealed class BlinkPattern
{
    private readonly BlinkStep[] _steps;

    /// <summary>Creates a pattern.</summary>
    /// <exception cref="ArgumentException">No steps, a step that is not positive, or an infinite step among others.</exception>
    public BlinkPattern(string name, params BlinkStep[] steps)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Length == 0)
            throw new ArgumentException("a blink pattern needs at least one step", nameof(steps));
        foreach (var step in steps)
        {
            if (step.Duration == Timeout.InfiniteTimeSpan ? steps.Length > 1 : step.Duration <= TimeSpan.Zero)
                throw new ArgumentException($"blink pattern '{name}': a step lasts a positive time, or forever when it is the only step", nameof(steps));
        }
        Name = name;
        _steps = (BlinkStep[])steps.Clone();
        Period = IsSteady ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(_steps.Sum(s => s.Duration.Ticks));
    }

    /// <summary>Slow blink, 1 s on, 1 s off: unprovisioned, waiting.</summary>
    public static BlinkPattern SlowBlink { get; } = new("slow blink", new(true, Ms(1000)), new(false, Ms(1000)));

    /// <summary>Fast blink, 100 ms on, 100 ms off (5 Hz): provisioning in progress.</summary>
    public static BlinkPattern FastBlink { get; } = new("fast blink", new(true, Ms(100)), new(false, Ms(100)));

    /// <summary>Steady on: connected.</summary>
    public static BlinkPattern SteadyOn { get; } = new("steady on", new BlinkStep(true, Timeout.InfiniteTimeSpan));

    /// <summary>Steady off: nothing to show (the LED's state when the indicator is disposed).</summary>
    public static BlinkPattern SteadyOff { get; } = new("off", new BlinkStep(false, Timeout.InfiniteTimeSpan));

    /// <summary>Double flash every 2 s (150 ms on, 150 ms off, 150 ms on, 1550 ms off): error.</summary>
    public static BlinkPattern DoubleFlash { get; } = new("double flash",
        new(true, Ms(150)), new(false, Ms(150)), new(true, Ms(150)), new(false, Ms(1550)));

    /// <summary>A short name, e.g. "slow blink".</summary>
    public string Name { get; }

    /// <summary>The steps, repeated from the first after the last.</summary>
    public IReadOnlyList<BlinkStep> Steps => _steps;

    /// <summary>True for a one-step pattern that never changes.</summary>
    public bool IsSteady => _steps.Length == 1;

    /// <summary>The length of one repetition; infinite for a steady pattern.</summary>
    public TimeSpan Period { get; }

    /// <summary>The pattern of a state.</summary>
    public static BlinkPattern For(DeviceState state) => state switch
    {
        DeviceState.Unprovisioned => SlowBlink,
        DeviceState.Provisioning => FastBlink,
        DeviceState.Connected => SteadyOn,
        DeviceState.Error => DoubleFlash,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown device state"),
    };

    /// <summary>Whether the LED is lit <paramref name="elapsed"/> after the pattern started.</summary>
    public bool IsOnAt(TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        if (IsSteady)
            return _steps[0].On;
        var within = TimeSpan.FromTicks(elapsed.Ticks % Period.Ticks);
        foreach (var step in _steps)
        {
            if (within < step.Duration)
                return step.On;
            within -= step.Duration;
        }
        return _steps[^1].On; // unreachable: within < Period
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
