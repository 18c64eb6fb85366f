namespace DeviceAgent.Hardware.Gpio;

/// <summary>
/// A GPIO part is missing or unusable: no such chip or line, the line is busy, permission is denied,
/// or the GPIO library (libgpiod) is not installed. The message says what to check. The agent reports
/// it once and runs on without the part.
/// </summary>
public sealed class GpioException : Exception
{
    /// <summary>The hint for pin numbers, shared by the messages that name a line.</summary>
    public const string PinNumberHint = "lines are the chip's offsets, on a Raspberry Pi the BCM GPIO numbers, not header pins";

    /// <summary>Creates the exception.</summary>
    public GpioException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public GpioException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public GpioException() : base("GPIO operation failed") { }

    /// <summary>True when what System.Device.Gpio or its native library threw means the hardware is absent or unusable.</summary>
    public static bool IsHardwareProblem(Exception e) => e is GpioException or IOException or UnauthorizedAccessException or InvalidOperationException
        or PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException
        or ArgumentOutOfRangeException or System.ComponentModel.Win32Exception;

    /// <summary>Wraps what the library threw for <paramref name="part"/> with the hints for this board.</summary>
    public static GpioException From(string part, string chip, int line, Exception e) => new(e switch
    {
        DllNotFoundException or TypeInitializationException or EntryPointNotFoundException =>
            $"{part} (line {line} of {chip}): libgpiod is not installed (apt install libgpiod2, or libgpiod3 on newer releases): {Innermost(e).Message}",
        UnauthorizedAccessException =>
            $"{part} (line {line} of {chip}): permission denied: add the agent's user to the gpio group (or a udev rule for /dev/gpiochip*): {e.Message}",
        ArgumentOutOfRangeException =>
            $"{part}: line {line} does not exist on {chip}: check the pin numbers in the configuration ({PinNumberHint})",
        _ => $"{part} (line {line} of {chip}): {Innermost(e).Message}; check the pin numbers ({PinNumberHint}), that no device-tree overlay or " +
            "other program claims the line (gpioinfo shows the consumers) and that the agent may open /dev/gpiochip*",
    }, e);

    /// <summary>No chip carries the label.</summary>
    public static GpioException NoChipWithLabel(string label, IReadOnlyList<GpioChip> chips) => new(chips.Count == 0
        ? $"no GPIO chips on this machine (looking for the chip labelled '{label}'): it has no GPIO controller or its driver is not loaded"
        : $"no GPIO chip is labelled '{label}'; there are {string.Join(", ", chips.Select(c => $"{c.Name} '{c.Label}'"))}: set hardware.chip to one of them");

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
