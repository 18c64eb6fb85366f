namespace DeviceAgent.Hardware.Button;

/// <summary>The button's thresholds.</summary>
public sealed record ButtonTiming
{
    /// <summary>Creates thresholds.</summary>
    /// <param name="debounce">How long a level must hold before it counts (contact bounce lasts a few ms).</param>
    /// <param name="longPress">How long the button must be held to ask for re-provisioning.</param>
    /// <exception cref="ArgumentOutOfRangeException">The debounce is not positive, or the long press is not longer than it.</exception>
    public ButtonTiming(TimeSpan debounce, TimeSpan longPress)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(debounce, TimeSpan.Zero);
        if (longPress <= debounce)
            throw new ArgumentOutOfRangeException(nameof(longPress), longPress, $"the long press must last longer than the debounce ({debounce.TotalMilliseconds} ms)");
        Debounce = debounce;
        LongPress = longPress;
    }

    /// <summary>50 ms debounce, 5 s long press.</summary>
    public static ButtonTiming Default { get; } = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));

    /// <summary>How long a level must hold before it counts.</summary>
    public TimeSpan Debounce { get; }

    /// <summary>How long the button must be held for a long press.</summary>
    public TimeSpan LongPress { get; }
}
