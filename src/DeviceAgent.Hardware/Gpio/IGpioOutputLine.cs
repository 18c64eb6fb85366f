namespace DeviceAgent.Hardware.Gpio;

/// <summary>A requested output line. Releasing it (Dispose) leaves the pin to the kernel's default state.</summary>
public interface IGpioOutputLine : IDisposable
{
    /// <summary>The line's offset on its chip.</summary>
    int Offset { get; }

    /// <summary>Drives the line to its active (true) or inactive (false) logical level.</summary>
    /// <exception cref="GpioException">The kernel refused the value (e.g. the chip was removed).</exception>
    /// <exception cref="ObjectDisposedException">The line was released.</exception>
    void Write(bool active);
}
