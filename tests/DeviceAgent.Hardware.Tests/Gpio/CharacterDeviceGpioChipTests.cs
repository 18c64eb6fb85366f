using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Gpio.Native;
using static DeviceAgent.Hardware.Gpio.Native.GpioUapi;

namespace DeviceAgent.Hardware.Tests.Gpio;

/// <summary>
/// The character device chip, as far as a machine without GPIO goes: real open(2) and ioctl(2)
/// failures, and the exact requests it would hand the kernel. (This machine has no
/// /dev/gpiochip*, no configfs and no gpio-sim module, so no line can really be requested here.)
/// </summary>
public sealed unsafe class CharacterDeviceGpioChipTests
{
    [Fact]
    public void A_missing_chip_says_so_and_how_to_list_the_chips()
    {
        var e = Assert.Throws<GpioException>(() => CharacterDeviceGpioChip.Open("/dev/gpiochip99"));
        Assert.Equal(LibC.ENOENT, e.Errno);
        Assert.Equal("/dev/gpiochip99", e.ChipPath);
        Assert.StartsWith("GPIO chip /dev/gpiochip99 does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("ls /dev/gpiochip*", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("regular file")]
    public void A_device_that_is_not_a_GPIO_chip_is_refused_by_the_chip_info_ioctl(string what)
    {
        var path = what == "/dev/null" ? what : Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<GpioException>(() => CharacterDeviceGpioChip.Open(path));
            Assert.Equal(LibC.ENOTTY, e.Errno);
            Assert.Contains($"{path} is not a GPIO character device", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (path != "/dev/null")
                File.Delete(path);
        }
    }

    [Theory]
    [InlineData(false, false, GPIO_V2_LINE_FLAG_OUTPUT, 0UL)]
    [InlineData(true, true, GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW, 1UL)]
    public void An_output_request_sets_its_initial_value_in_the_same_call(bool activeLow, bool initial, ulong flags, ulong values)
    {
        var request = CharacterDeviceGpioChip.OutputRequest(17, activeLow, initial, "deviceagent");
        Assert.Equal(17u, request.offsets[0]);
        Assert.Equal(1u, request.num_lines);
        Assert.Equal("deviceagent", Text(request.consumer, GPIO_MAX_NAME_SIZE));
        Assert.Equal(flags, request.config.flags);
        Assert.Equal(1u, request.config.num_attrs);
        Assert.Equal(GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, request.config.attrs[0].attr.id);
        Assert.Equal(values, request.config.attrs[0].attr.values);
        Assert.Equal(1UL, request.config.attrs[0].mask);
        Assert.Equal(0, request.fd);
    }

    [Theory]
    [InlineData(GpioBias.AsIs, false, 0UL)]
    [InlineData(GpioBias.PullUp, true, GPIO_V2_LINE_FLAG_BIAS_PULL_UP | GPIO_V2_LINE_FLAG_ACTIVE_LOW)]
    [InlineData(GpioBias.PullDown, false, GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN)]
    [InlineData(GpioBias.Disabled, false, GPIO_V2_LINE_FLAG_BIAS_DISABLED)]
    public void An_input_request_detects_both_edges_with_its_polarity_and_bias(GpioBias bias, bool activeLow, ulong extraFlags)
    {
        var request = CharacterDeviceGpioChip.InputRequest(27, activeLow, bias, "deviceagent");
        Assert.Equal(27u, request.offsets[0]);
        Assert.Equal(1u, request.num_lines);
        Assert.Equal(GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING | extraFlags, request.config.flags);
        Assert.Equal(0u, request.config.num_attrs);
    }

    [Fact]
    public void A_long_consumer_label_is_cut_to_fit_with_its_terminating_NUL()
    {
        var request = CharacterDeviceGpioChip.InputRequest(0, false, GpioBias.AsIs, new string('x', 40));
        Assert.Equal(new string('x', 31), Text(request.consumer, GPIO_MAX_NAME_SIZE));
        Assert.Equal(0, request.consumer[31]);
    }

    [Fact]
    public void A_negative_offset_is_refused_before_any_system_call()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CharacterDeviceGpioChip.InputRequest(-1, false, GpioBias.AsIs, "x"));
    }
}
