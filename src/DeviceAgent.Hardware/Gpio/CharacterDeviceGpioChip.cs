using System.Runtime.InteropServices;
using DeviceAgent.Hardware.Gpio.Native;
using static DeviceAgent.Hardware.Gpio.Native.GpioUapi;

namespace DeviceAgent.Hardware.Gpio;

/// <summary>
/// A GPIO chip through the Linux GPIO character device, uAPI v2 (/dev/gpiochipN; Linux 5.10+,
/// https://docs.kernel.org/userspace-api/gpio/chardev.html): GPIO_GET_CHIPINFO_IOCTL on open,
/// GPIO_V2_GET_LINE_IOCTL per requested line, GPIO_V2_GET_LINEINFO_IOCTL to name the holder of a
/// busy line. Thread-safe: requests are independent system calls.
/// </summary>
public sealed unsafe class CharacterDeviceGpioChip : IGpioChip
{
    private readonly FileDescriptor _chip;

    private CharacterDeviceGpioChip(string path, FileDescriptor chip, string name, string label, int lineCount)
    {
        Path = path;
        _chip = chip;
        Name = name;
        Label = label;
        LineCount = lineCount;
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Label { get; }

    /// <inheritdoc />
    public int LineCount { get; }

    /// <summary>Opens a chip's character device and reads its name, label and line count.</summary>
    /// <param name="path">The device, e.g. <c>/dev/gpiochip0</c>.</param>
    /// <exception cref="GpioException">It does not exist, is not readable by this user, or is not a GPIO chip.</exception>
    public static CharacterDeviceGpioChip Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fd = LibC.open(path, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0)
            throw GpioException.OpenFailed(path, Marshal.GetLastPInvokeError());
        var chip = new FileDescriptor(fd);
        try
        {
            gpiochip_info info = default;
            if (Ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &info) < 0)
                throw GpioException.ChipInfoFailed(path, Marshal.GetLastPInvokeError());
            return new CharacterDeviceGpioChip(path, chip,
                Text(info.name, GPIO_MAX_NAME_SIZE), Text(info.label, GPIO_MAX_NAME_SIZE), (int)info.lines);
        }
        catch
        {
            chip.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IGpioOutputLine RequestOutput(int offset, bool activeLow, bool initialActive, string consumer)
    {
        var request = OutputRequest(offset, activeLow, initialActive, consumer);
        return new CharacterDeviceOutputLine(Path, offset, Request(ref request, offset));
    }

    /// <inheritdoc />
    public IGpioInputLine RequestInput(int offset, bool activeLow, GpioBias bias, string consumer)
    {
        var request = InputRequest(offset, activeLow, bias, consumer);
        return new CharacterDeviceInputLine(Path, offset, Request(ref request, offset));
    }

    /// <summary>Closes the chip; lines already requested stay requested until disposed.</summary>
    public void Dispose() => _chip.Dispose();

    /// <summary>The consumer holding a line (empty when free or unnamed), or null when the kernel cannot tell.</summary>
    internal string? ConsumerOf(int offset)
    {
        gpio_v2_line_info info = default;
        info.offset = (uint)offset;
        return Ioctl(_chip.Value, GPIO_V2_GET_LINEINFO_IOCTL, &info) < 0
            ? null
            : Text(info.consumer, GPIO_MAX_NAME_SIZE);
    }

    internal static ulong BiasFlag(GpioBias bias) => bias switch
    {
        GpioBias.AsIs => 0,
        GpioBias.PullUp => GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
        GpioBias.PullDown => GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN,
        GpioBias.Disabled => GPIO_V2_LINE_FLAG_BIAS_DISABLED,
        _ => throw new ArgumentOutOfRangeException(nameof(bias), bias, "unknown bias"),
    };

    /// <summary>
    /// An output request: GPIO_V2_LINE_FLAG_OUTPUT (and ACTIVE_LOW), with the initial value as a
    /// GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES attribute so the line never glitches to the other level.
    /// </summary>
    internal static gpio_v2_line_request OutputRequest(int offset, bool activeLow, bool initialActive, string consumer)
    {
        var request = NewRequest(offset, consumer, GPIO_V2_LINE_FLAG_OUTPUT | (activeLow ? GPIO_V2_LINE_FLAG_ACTIVE_LOW : 0));
        request.config.num_attrs = 1;
        request.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
        request.config.attrs[0].attr.values = initialActive ? 1UL : 0UL;
        request.config.attrs[0].mask = 1; // bit 0: offsets[0]
        return request;
    }

    /// <summary>An input request with both edges detected (GPIO_V2_LINE_FLAG_EDGE_RISING | _FALLING), polarity and bias.</summary>
    internal static gpio_v2_line_request InputRequest(int offset, bool activeLow, GpioBias bias, string consumer) =>
        NewRequest(offset, consumer, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING
            | (activeLow ? GPIO_V2_LINE_FLAG_ACTIVE_LOW : 0) | BiasFlag(bias));

    /// <summary>A request for one line: offsets[0], num_lines = 1, the consumer label and the default flags.</summary>
    private static gpio_v2_line_request NewRequest(int offset, string consumer, ulong flags)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentNullException.ThrowIfNull(consumer);
        gpio_v2_line_request request = default;
        request.offsets[0] = (uint)offset;
        request.num_lines = 1;
        SetText(request.consumer, GPIO_MAX_NAME_SIZE, consumer);
        request.config.flags = flags;
        return request;
    }

    private FileDescriptor Request(ref gpio_v2_line_request request, int offset)
    {
        ObjectDisposedException.ThrowIf(_chip.IsClosed, this);
        if (offset >= LineCount)
            throw GpioException.NoSuchLine(Path, Label, offset, LineCount);
        int result;
        fixed (gpio_v2_line_request* pointer = &request)
            result = Ioctl(_chip.Value, GPIO_V2_GET_LINE_IOCTL, pointer);
        var errno = Marshal.GetLastPInvokeError();
        if (result < 0)
            throw GpioException.RequestFailed(Path, Label, offset, errno, errno == LibC.EBUSY ? ConsumerOf(offset) : null);
        return new FileDescriptor(request.fd);
    }

    /// <summary>ioctl(2), repeated when a signal interrupts it (EINTR); errno stays in GetLastPInvokeError.</summary>
    internal static int Ioctl(int fd, nuint request, void* argument)
    {
        while (true)
        {
            var result = LibC.ioctl(fd, request, argument);
            if (result >= 0 || Marshal.GetLastPInvokeError() != LibC.EINTR)
                return result;
        }
    }
}
