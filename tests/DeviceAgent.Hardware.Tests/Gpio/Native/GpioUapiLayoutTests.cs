using System.Globalization;
using System.Runtime.CompilerServices;
using DeviceAgent.Hardware.Gpio.Native;
using DeviceAgent.TestPeers;
using static DeviceAgent.Hardware.Gpio.Native.GpioUapi;

namespace DeviceAgent.Hardware.Tests.Gpio.Native;

/// <summary>
/// The uAPI structures are passed to the kernel by pointer: a wrong size or offset would make the
/// kernel read garbage (or write past our buffer). Every number is checked twice: against the
/// sizes include/uapi/linux/gpio.h implies (its padding fields exist to fix them), and against a
/// C program compiled with this machine's own &lt;linux/gpio.h&gt;.
/// </summary>
public sealed class GpioUapiLayoutTests
{
    /// <summary>Every size, offset, flag and ioctl number we depend on, as C expressions, with our value.</summary>
    private static readonly (string C, ulong Ours)[] s_facts = Facts();

    private static unsafe (string C, ulong Ours)[] Facts() =>
    [
        ("sizeof(struct gpiochip_info)", (ulong)sizeof(gpiochip_info)),
        ("offsetof(struct gpiochip_info, label)", Offset<gpiochip_info>(s => s->label)),
        ("offsetof(struct gpiochip_info, lines)", Offset<gpiochip_info>(s => &s->lines)),
        ("sizeof(struct gpio_v2_line_values)", (ulong)sizeof(gpio_v2_line_values)),
        ("offsetof(struct gpio_v2_line_values, mask)", Offset<gpio_v2_line_values>(s => &s->mask)),
        ("sizeof(struct gpio_v2_line_attribute)", (ulong)sizeof(gpio_v2_line_attribute)),
        ("offsetof(struct gpio_v2_line_attribute, flags)", Offset<gpio_v2_line_attribute>(s => &s->flags)),
        ("offsetof(struct gpio_v2_line_attribute, values)", Offset<gpio_v2_line_attribute>(s => &s->values)),
        ("offsetof(struct gpio_v2_line_attribute, debounce_period_us)", Offset<gpio_v2_line_attribute>(s => &s->debounce_period_us)),
        ("sizeof(struct gpio_v2_line_config_attribute)", (ulong)sizeof(gpio_v2_line_config_attribute)),
        ("offsetof(struct gpio_v2_line_config_attribute, mask)", Offset<gpio_v2_line_config_attribute>(s => &s->mask)),
        ("sizeof(struct gpio_v2_line_config)", (ulong)sizeof(gpio_v2_line_config)),
        ("offsetof(struct gpio_v2_line_config, num_attrs)", Offset<gpio_v2_line_config>(s => &s->num_attrs)),
        ("offsetof(struct gpio_v2_line_config, attrs)", Offset<gpio_v2_line_config>(s => &s->attrs)),
        ("offsetof(struct gpio_v2_line_config, attrs[1])", Offset<gpio_v2_line_config>(s => Unsafe.AsPointer(ref s->attrs[1]))),
        ("offsetof(struct gpio_v2_line_config, attrs[9].mask)", Offset<gpio_v2_line_config>(s => Unsafe.AsPointer(ref s->attrs[9].mask))),
        ("sizeof(struct gpio_v2_line_request)", (ulong)sizeof(gpio_v2_line_request)),
        ("offsetof(struct gpio_v2_line_request, consumer)", Offset<gpio_v2_line_request>(s => s->consumer)),
        ("offsetof(struct gpio_v2_line_request, config)", Offset<gpio_v2_line_request>(s => &s->config)),
        ("offsetof(struct gpio_v2_line_request, num_lines)", Offset<gpio_v2_line_request>(s => &s->num_lines)),
        ("offsetof(struct gpio_v2_line_request, event_buffer_size)", Offset<gpio_v2_line_request>(s => &s->event_buffer_size)),
        ("offsetof(struct gpio_v2_line_request, fd)", Offset<gpio_v2_line_request>(s => &s->fd)),
        ("sizeof(struct gpio_v2_line_info)", (ulong)sizeof(gpio_v2_line_info)),
        ("offsetof(struct gpio_v2_line_info, consumer)", Offset<gpio_v2_line_info>(s => s->consumer)),
        ("offsetof(struct gpio_v2_line_info, offset)", Offset<gpio_v2_line_info>(s => &s->offset)),
        ("offsetof(struct gpio_v2_line_info, flags)", Offset<gpio_v2_line_info>(s => &s->flags)),
        ("offsetof(struct gpio_v2_line_info, attrs)", Offset<gpio_v2_line_info>(s => &s->attrs)),
        ("sizeof(struct gpio_v2_line_event)", (ulong)sizeof(gpio_v2_line_event)),
        ("offsetof(struct gpio_v2_line_event, id)", Offset<gpio_v2_line_event>(s => &s->id)),
        ("offsetof(struct gpio_v2_line_event, offset)", Offset<gpio_v2_line_event>(s => &s->offset)),
        ("offsetof(struct gpio_v2_line_event, seqno)", Offset<gpio_v2_line_event>(s => &s->seqno)),
        ("offsetof(struct gpio_v2_line_event, line_seqno)", Offset<gpio_v2_line_event>(s => &s->line_seqno)),
        ("GPIO_MAX_NAME_SIZE", GPIO_MAX_NAME_SIZE),
        ("GPIO_V2_LINES_MAX", GPIO_V2_LINES_MAX),
        ("GPIO_V2_LINE_NUM_ATTRS_MAX", GPIO_V2_LINE_NUM_ATTRS_MAX),
        ("GPIO_V2_LINE_FLAG_ACTIVE_LOW", GPIO_V2_LINE_FLAG_ACTIVE_LOW),
        ("GPIO_V2_LINE_FLAG_INPUT", GPIO_V2_LINE_FLAG_INPUT),
        ("GPIO_V2_LINE_FLAG_OUTPUT", GPIO_V2_LINE_FLAG_OUTPUT),
        ("GPIO_V2_LINE_FLAG_EDGE_RISING", GPIO_V2_LINE_FLAG_EDGE_RISING),
        ("GPIO_V2_LINE_FLAG_EDGE_FALLING", GPIO_V2_LINE_FLAG_EDGE_FALLING),
        ("GPIO_V2_LINE_FLAG_BIAS_PULL_UP", GPIO_V2_LINE_FLAG_BIAS_PULL_UP),
        ("GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN", GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN),
        ("GPIO_V2_LINE_FLAG_BIAS_DISABLED", GPIO_V2_LINE_FLAG_BIAS_DISABLED),
        ("GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES", GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES),
        ("GPIO_V2_LINE_EVENT_RISING_EDGE", GPIO_V2_LINE_EVENT_RISING_EDGE),
        ("GPIO_V2_LINE_EVENT_FALLING_EDGE", GPIO_V2_LINE_EVENT_FALLING_EDGE),
        ("GPIO_GET_CHIPINFO_IOCTL", GPIO_GET_CHIPINFO_IOCTL),
        ("GPIO_V2_GET_LINEINFO_IOCTL", GPIO_V2_GET_LINEINFO_IOCTL),
        ("GPIO_V2_GET_LINE_IOCTL", GPIO_V2_GET_LINE_IOCTL),
        ("GPIO_V2_LINE_GET_VALUES_IOCTL", GPIO_V2_LINE_GET_VALUES_IOCTL),
        ("GPIO_V2_LINE_SET_VALUES_IOCTL", GPIO_V2_LINE_SET_VALUES_IOCTL),
    ];

    [Theory]
    // The header's numbers: names and labels are 32 bytes, the padding fields round every
    // structure to a multiple of 8 (gpio_v2_line_request: 64 offsets * 4 + 32 + 272 + 4 + 4 + 5 * 4 + 4).
    [InlineData("sizeof(struct gpiochip_info)", 68)]
    [InlineData("sizeof(struct gpio_v2_line_values)", 16)]
    [InlineData("sizeof(struct gpio_v2_line_attribute)", 16)]
    [InlineData("sizeof(struct gpio_v2_line_config_attribute)", 24)]
    [InlineData("sizeof(struct gpio_v2_line_config)", 272)]
    [InlineData("offsetof(struct gpio_v2_line_config, attrs)", 32)]
    [InlineData("sizeof(struct gpio_v2_line_request)", 592)]
    [InlineData("offsetof(struct gpio_v2_line_request, consumer)", 256)]
    [InlineData("offsetof(struct gpio_v2_line_request, config)", 288)]
    [InlineData("offsetof(struct gpio_v2_line_request, num_lines)", 560)]
    [InlineData("offsetof(struct gpio_v2_line_request, fd)", 588)]
    [InlineData("sizeof(struct gpio_v2_line_info)", 256)]
    [InlineData("sizeof(struct gpio_v2_line_event)", 48)]
    [InlineData("offsetof(struct gpio_v2_line_event, line_seqno)", 20)]
    // _IOR(0xB4, 0x01, struct gpiochip_info) and _IOWR(0xB4, n, ...) in the asm-generic encoding.
    [InlineData("GPIO_GET_CHIPINFO_IOCTL", 0x8044B401)]
    [InlineData("GPIO_V2_GET_LINEINFO_IOCTL", 0xC100B405)]
    [InlineData("GPIO_V2_GET_LINE_IOCTL", 0xC250B407)]
    [InlineData("GPIO_V2_LINE_GET_VALUES_IOCTL", 0xC010B40E)]
    [InlineData("GPIO_V2_LINE_SET_VALUES_IOCTL", 0xC010B40F)]
    public void Layout_matches_the_numbers_of_linux_gpio_h(string fact, ulong expected)
    {
        Assert.Equal(expected, s_facts.Single(f => f.C == fact).Ours);
    }

    [Fact]
    public async Task Layout_matches_a_C_program_compiled_against_this_machines_linux_gpio_h()
    {
        var compiler = ExternalProcess.Require("cc", "gcc");
        Assert.True(File.Exists("/usr/include/linux/gpio.h"), "/usr/include/linux/gpio.h is missing; sudo apt-get install -y linux-libc-dev");
        var dir = Directory.CreateTempSubdirectory("deviceagent-gpio-layout-");
        try
        {
            var source = Path.Combine(dir.FullName, "layout.c");
            var program = Path.Combine(dir.FullName, "layout");
            await File.WriteAllTextAsync(source,
                "#include <stdio.h>\n#include <stddef.h>\n#include <linux/gpio.h>\nint main(void) {\n" +
                string.Concat(s_facts.Select(f => $"  printf(\"%llu\\n\", (unsigned long long)({f.C}));\n")) +
                "  return 0;\n}\n");
            var compiled = await ExternalProcess.RunAsync(compiler, ["-o", program, source]);
            Assert.True(compiled.ExitCode == 0, compiled.Transcript);
            var ran = await ExternalProcess.RunAsync(program, []);
            Assert.True(ran.ExitCode == 0, ran.Transcript);
            var values = ran.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => ulong.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(s_facts.Length, values.Length);
            var wrong = s_facts.Zip(values).Where(p => p.First.Ours != p.Second)
                .Select(p => $"{p.First.C}: header {p.Second}, ours {p.First.Ours}").ToArray();
            Assert.True(wrong.Length == 0, string.Join("\n", wrong));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static unsafe ulong Offset<T>(FieldOf<T> field) where T : unmanaged
    {
        T value = default;
        return (ulong)((byte*)field(&value) - (byte*)&value);
    }

    private unsafe delegate void* FieldOf<T>(T* s) where T : unmanaged;
}
