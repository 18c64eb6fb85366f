using DeviceAgent.Hardware.Gpio.Native;

namespace DeviceAgent.Hardware.Gpio;

/// <summary>
/// A GPIO chip or line could not be opened, requested or driven. The message names what is
/// missing and what to check (the group, the pin numbers, the overlay); <see cref="Errno"/>
/// carries the kernel's error where there was one.
/// </summary>
public sealed class GpioException : Exception
{
    /// <summary>Creates an exception with a complete message.</summary>
    public GpioException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a complete message and its cause.</summary>
    public GpioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception without detail; prefer the overloads with a message.</summary>
    public GpioException()
        : base("GPIO operation failed")
    {
    }

    private GpioException(string message, string chipPath, int? offset, int? errno)
        : base(message)
    {
        ChipPath = chipPath;
        Offset = offset;
        Errno = errno;
    }

    /// <summary>The chip's device path, e.g. <c>/dev/gpiochip0</c>, when known.</summary>
    public string? ChipPath { get; }

    /// <summary>The line's offset, when the failure concerns one line.</summary>
    public int? Offset { get; }

    /// <summary>The errno the kernel returned, when there was a system call.</summary>
    public int? Errno { get; }

    /// <summary>True when the cause is a missing permission (EACCES, EPERM).</summary>
    public bool IsPermissionDenied => Errno is LibC.EACCES or LibC.EPERM;

    /// <summary>True when the line is claimed by another consumer (EBUSY).</summary>
    public bool IsBusy => Errno == LibC.EBUSY;

    internal static GpioException OpenFailed(string path, int errno) => new(errno switch
    {
        LibC.ENOENT or LibC.ENODEV or LibC.ENXIO =>
            $"GPIO chip {path} does not exist: this machine has no such GPIO controller; list the chips with " +
            "'ls /dev/gpiochip*' (or gpiodetect) and set the chip to one of them",
        LibC.EACCES or LibC.EPERM =>
            $"permission denied opening {path}: {PermissionHint(path)}",
        LibC.ENOTTY or LibC.EINVAL =>
            $"{path} is not a GPIO character device; set the chip to a /dev/gpiochipN path or a chip label",
        _ => $"cannot open GPIO chip {path}: {LibC.Describe(errno)}",
    }, path, null, errno);

    internal static GpioException ChipInfoFailed(string path, int errno) => new(errno == LibC.ENOTTY
        ? $"{path} is not a GPIO character device (GPIO_GET_CHIPINFO_IOCTL: {LibC.Describe(errno)}); set the chip to a /dev/gpiochipN path or a chip label"
        : $"GPIO_GET_CHIPINFO_IOCTL on {path} failed: {LibC.Describe(errno)}", path, null, errno);

    internal static GpioException NoSuchLine(string path, string label, int offset, int lineCount) => new(
        $"line {offset} does not exist on {path} ({Describe(label)}{lineCount} lines, 0-{lineCount - 1}): " +
        $"check the pin numbers in the configuration ({PinNumberHint})", path, offset, null);

    internal static GpioException RequestFailed(string path, string label, int offset, int errno, string? holder) => new(errno switch
    {
        LibC.EBUSY =>
            $"line {offset} of {path}{Labelled(label)} is already in use{(string.IsNullOrEmpty(holder) ? "" : $" by '{holder}'")}: " +
            $"check the pin numbers ({PinNumberHint}) and that no device-tree overlay (gpio-led, gpio-key, w1-gpio, the SPI " +
            "pins 7-11 of the TPM overlay) or other program claims it (gpioinfo shows the consumers)",
        LibC.EACCES or LibC.EPERM =>
            $"permission denied requesting line {offset} of {path}: {PermissionHint(path)}",
        LibC.EINVAL =>
            $"the kernel refused the configuration of line {offset} of {path}{Labelled(label)}: {LibC.Describe(errno)}; " +
            "a bias (pull-up/pull-down) the controller does not support, or a kernel older than 5.10 without the GPIO uAPI v2",
        _ => $"requesting line {offset} of {path} failed: {LibC.Describe(errno)}",
    }, path, offset, errno);

    internal static GpioException ValueFailed(string path, int offset, string operation, int errno) => new(
        $"{operation} line {offset} of {path} failed: {LibC.Describe(errno)}", path, offset, errno);

    internal static GpioException EventReadFailed(string path, int offset, int errno) => new(
        $"reading edge events of line {offset} of {path} failed: {LibC.Describe(errno)}; the button is no longer watched", path, offset, errno);

    internal static GpioException NoChipWithLabel(string label, string directory, IEnumerable<string> seen) => new(
        $"no GPIO chip labelled '{label}' in {directory} (found: {(seen.Any() ? string.Join(", ", seen) : "none")}); " +
        "set the chip to one of these labels or to a /dev/gpiochipN path", directory, null, null);

    private const string PinNumberHint =
        "LED and button lines are the chip's line offsets, on a Raspberry Pi the BCM GPIO numbers, not the header pin numbers";

    private static string PermissionHint(string path) =>
        $"add the agent's user to the group that owns {path} (on Raspberry Pi OS 'gpio': sudo usermod -aG gpio USER; " +
        "hardware/raspberry-pi/create-agent-user.sh does this) and restart the agent";

    private static string Describe(string label) => string.IsNullOrEmpty(label) ? "" : label + ", ";

    private static string Labelled(string label) => string.IsNullOrEmpty(label) ? "" : $" ({label})";
}
