using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeviceAgent.Hardware.Gpio.Native;

// The Linux GPIO character device uAPI, version 2 (Linux 5.10+), as declared in
// include/uapi/linux/gpio.h and documented in Documentation/userspace-api/gpio/chardev.rst
// (https://docs.kernel.org/userspace-api/gpio/chardev.html). Names as the header spells them.
//
// Layouts are explicit: the header pads every structure so that its __aligned_u64 fields sit
// on 8-byte boundaries on 32- and 64-bit kernels alike, and so do these. The sizes and
// offsets are asserted in GpioUapiLayoutTests, against the header's numbers and against a C
// program compiled with the machine's own <linux/gpio.h>.

/// <summary>Constants of &lt;linux/gpio.h&gt; and the ioctl request numbers derived from its structures.</summary>
internal static unsafe class GpioUapi
{
    public const int GPIO_MAX_NAME_SIZE = 32;
    public const int GPIO_V2_LINES_MAX = 64;
    public const int GPIO_V2_LINE_NUM_ATTRS_MAX = 10;

    // enum gpio_v2_line_flag
    public const ulong GPIO_V2_LINE_FLAG_USED = 1UL << 0;
    public const ulong GPIO_V2_LINE_FLAG_ACTIVE_LOW = 1UL << 1;
    public const ulong GPIO_V2_LINE_FLAG_INPUT = 1UL << 2;
    public const ulong GPIO_V2_LINE_FLAG_OUTPUT = 1UL << 3;
    public const ulong GPIO_V2_LINE_FLAG_EDGE_RISING = 1UL << 4;
    public const ulong GPIO_V2_LINE_FLAG_EDGE_FALLING = 1UL << 5;
    public const ulong GPIO_V2_LINE_FLAG_BIAS_PULL_UP = 1UL << 8;
    public const ulong GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN = 1UL << 9;
    public const ulong GPIO_V2_LINE_FLAG_BIAS_DISABLED = 1UL << 10;

    // enum gpio_v2_line_attr_id
    public const uint GPIO_V2_LINE_ATTR_ID_FLAGS = 1;
    public const uint GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES = 2;
    public const uint GPIO_V2_LINE_ATTR_ID_DEBOUNCE = 3;

    // enum gpio_v2_line_event_id
    public const uint GPIO_V2_LINE_EVENT_RISING_EDGE = 1;
    public const uint GPIO_V2_LINE_EVENT_FALLING_EDGE = 2;

    public static readonly nuint GPIO_GET_CHIPINFO_IOCTL = Ioctl.Read(0xB4, 0x01, sizeof(gpiochip_info));
    public static readonly nuint GPIO_V2_GET_LINEINFO_IOCTL = Ioctl.ReadWrite(0xB4, 0x05, sizeof(gpio_v2_line_info));
    public static readonly nuint GPIO_V2_GET_LINE_IOCTL = Ioctl.ReadWrite(0xB4, 0x07, sizeof(gpio_v2_line_request));
    public static readonly nuint GPIO_V2_LINE_GET_VALUES_IOCTL = Ioctl.ReadWrite(0xB4, 0x0E, sizeof(gpio_v2_line_values));
    public static readonly nuint GPIO_V2_LINE_SET_VALUES_IOCTL = Ioctl.ReadWrite(0xB4, 0x0F, sizeof(gpio_v2_line_values));

    /// <summary>A NUL-terminated byte string of a fixed-size field, decoded as UTF-8.</summary>
    public static string Text(byte* field, int size)
    {
        var span = new ReadOnlySpan<byte>(field, size);
        var end = span.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    /// <summary>Writes <paramref name="text"/> into a fixed-size field, truncated to leave room for the NUL.</summary>
    public static void SetText(byte* field, int size, string text)
    {
        var span = new Span<byte>(field, size);
        span.Clear();
        var written = System.Text.Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, size - 1)), span[..(size - 1)]);
        span[written] = 0;
    }
}

/// <summary>struct gpiochip_info (68 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 68)]
internal unsafe struct gpiochip_info
{
    [FieldOffset(0)] public fixed byte name[GpioUapi.GPIO_MAX_NAME_SIZE];
    [FieldOffset(32)] public fixed byte label[GpioUapi.GPIO_MAX_NAME_SIZE];
    [FieldOffset(64)] public uint lines;
}

/// <summary>struct gpio_v2_line_values (16 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct gpio_v2_line_values
{
    [FieldOffset(0)] public ulong bits;
    [FieldOffset(8)] public ulong mask;
}

/// <summary>struct gpio_v2_line_attribute (16 bytes); the union is flags | values | debounce_period_us.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct gpio_v2_line_attribute
{
    [FieldOffset(0)] public uint id;
    [FieldOffset(4)] public uint padding;
    [FieldOffset(8)] public ulong flags;
    [FieldOffset(8)] public ulong values;
    [FieldOffset(8)] public uint debounce_period_us;
}

/// <summary>struct gpio_v2_line_config_attribute (24 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct gpio_v2_line_config_attribute
{
    [FieldOffset(0)] public gpio_v2_line_attribute attr;
    [FieldOffset(16)] public ulong mask;
}

/// <summary>attrs[GPIO_V2_LINE_NUM_ATTRS_MAX] of struct gpio_v2_line_config.</summary>
[InlineArray(GpioUapi.GPIO_V2_LINE_NUM_ATTRS_MAX)]
internal struct gpio_v2_line_config_attributes
{
    private gpio_v2_line_config_attribute _element;
}

/// <summary>attrs[GPIO_V2_LINE_NUM_ATTRS_MAX] of struct gpio_v2_line_info.</summary>
[InlineArray(GpioUapi.GPIO_V2_LINE_NUM_ATTRS_MAX)]
internal struct gpio_v2_line_attributes
{
    private gpio_v2_line_attribute _element;
}

/// <summary>struct gpio_v2_line_config (272 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 272)]
internal unsafe struct gpio_v2_line_config
{
    [FieldOffset(0)] public ulong flags;
    [FieldOffset(8)] public uint num_attrs;
    [FieldOffset(12)] public fixed uint padding[5];
    [FieldOffset(32)] public gpio_v2_line_config_attributes attrs;
}

/// <summary>struct gpio_v2_line_request (592 bytes): the argument of GPIO_V2_GET_LINE_IOCTL.</summary>
[StructLayout(LayoutKind.Explicit, Size = 592)]
internal unsafe struct gpio_v2_line_request
{
    [FieldOffset(0)] public fixed uint offsets[GpioUapi.GPIO_V2_LINES_MAX];
    [FieldOffset(256)] public fixed byte consumer[GpioUapi.GPIO_MAX_NAME_SIZE];
    [FieldOffset(288)] public gpio_v2_line_config config;
    [FieldOffset(560)] public uint num_lines;
    [FieldOffset(564)] public uint event_buffer_size;
    [FieldOffset(568)] public fixed uint padding[5];
    [FieldOffset(588)] public int fd;
}

/// <summary>struct gpio_v2_line_info (256 bytes): the argument of GPIO_V2_GET_LINEINFO_IOCTL.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal unsafe struct gpio_v2_line_info
{
    [FieldOffset(0)] public fixed byte name[GpioUapi.GPIO_MAX_NAME_SIZE];
    [FieldOffset(32)] public fixed byte consumer[GpioUapi.GPIO_MAX_NAME_SIZE];
    [FieldOffset(64)] public uint offset;
    [FieldOffset(68)] public uint num_attrs;
    [FieldOffset(72)] public ulong flags;
    [FieldOffset(80)] public gpio_v2_line_attributes attrs;
    [FieldOffset(240)] public fixed uint padding[4];
}

/// <summary>struct gpio_v2_line_event (48 bytes): what read(2) returns on a line request with edge detection.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
internal unsafe struct gpio_v2_line_event
{
    [FieldOffset(0)] public ulong timestamp_ns;
    [FieldOffset(8)] public uint id;
    [FieldOffset(12)] public uint offset;
    [FieldOffset(16)] public uint seqno;
    [FieldOffset(20)] public uint line_seqno;
    [FieldOffset(24)] public fixed uint padding[6];
}
