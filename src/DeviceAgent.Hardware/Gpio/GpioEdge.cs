namespace DeviceAgent.Hardware.Gpio;

/// <summary>The direction of an edge, in logical terms (active-low already applied by the kernel).</summary>
public enum GpioEdgeKind
{
    /// <summary>Inactive to active (GPIO_V2_LINE_EVENT_RISING_EDGE).</summary>
    Rising = 1,

    /// <summary>Active to inactive (GPIO_V2_LINE_EVENT_FALLING_EDGE).</summary>
    Falling = 2,
}

/// <summary>One edge event of an input line.</summary>
/// <param name="Offset">The line's offset on its chip.</param>
/// <param name="Kind">Rising or falling.</param>
/// <param name="TimestampNanoseconds">The kernel's CLOCK_MONOTONIC time of the edge.</param>
/// <param name="LineSequence">The kernel's sequence number of the event on this line (a gap means events were lost).</param>
public readonly record struct GpioEdge(int Offset, GpioEdgeKind Kind, ulong TimestampNanoseconds, uint LineSequence)
{
    /// <summary>True for a rising (inactive to active) edge.</summary>
    public bool IsActive => Kind == GpioEdgeKind.Rising;
}
