namespace DeviceAgent.Hardware.Gpio;

/// <summary>
/// A GPIO controller from which single lines are requested: an output for an LED, an input with
/// edge events for a button. The one seam between the status logic and the kernel; tests put a
/// fake chip behind it. Disposing the chip does not release lines already requested (as with the
/// kernel's chip file descriptor): dispose each line.
/// </summary>
public interface IGpioChip : IDisposable
{
    /// <summary>Where the chip was opened, e.g. <c>/dev/gpiochip0</c>.</summary>
    string Path { get; }

    /// <summary>The kernel's name of the chip, e.g. <c>gpiochip0</c>.</summary>
    string Name { get; }

    /// <summary>The chip's functional label, e.g. <c>pinctrl-bcm2711</c> (may be empty).</summary>
    string Label { get; }

    /// <summary>How many lines the chip has (offsets 0 to LineCount - 1).</summary>
    int LineCount { get; }

    /// <summary>Requests one line as an output, driven to <paramref name="initialActive"/> at once.</summary>
    /// <param name="offset">The line's offset on the chip (the BCM GPIO number on a Raspberry Pi).</param>
    /// <param name="activeLow">True when the line is active (LED on) at the low physical level.</param>
    /// <param name="initialActive">The initial logical value.</param>
    /// <param name="consumer">The consumer label the kernel shows for the line (gpioinfo).</param>
    /// <exception cref="GpioException">The line does not exist, is in use, or the kernel refused it.</exception>
    IGpioOutputLine RequestOutput(int offset, bool activeLow, bool initialActive, string consumer);

    /// <summary>Requests one line as an input that reports both edges.</summary>
    /// <param name="offset">The line's offset on the chip.</param>
    /// <param name="activeLow">True when the line is active (button pressed) at the low physical level.</param>
    /// <param name="bias">The pull resistor to enable.</param>
    /// <param name="consumer">The consumer label the kernel shows for the line.</param>
    /// <exception cref="GpioException">The line does not exist, is in use, or the kernel refused it.</exception>
    IGpioInputLine RequestInput(int offset, bool activeLow, GpioBias bias, string consumer);
}
