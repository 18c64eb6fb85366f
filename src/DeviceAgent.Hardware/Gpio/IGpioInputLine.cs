namespace DeviceAgent.Hardware.Gpio;

/// <summary>
/// A requested input line with edge detection. Edges are raised on a background thread, one at a
/// time and in the kernel's order; a handler must return quickly.
/// </summary>
public interface IGpioInputLine : IDisposable
{
    /// <summary>The line's offset on its chip.</summary>
    int Offset { get; }

    /// <summary>An edge was detected on the line (logical: rising = inactive to active). Handlers must not throw.</summary>
    event EventHandler<GpioEdge>? EdgeDetected;

    /// <summary>The line stopped delivering edges (the kernel failed a read); raised at most once.</summary>
    event EventHandler<GpioException>? Faulted;

    /// <summary>The line's current logical level (true = active).</summary>
    /// <exception cref="GpioException">The kernel refused the read.</exception>
    /// <exception cref="ObjectDisposedException">The line was released.</exception>
    bool Read();
}
