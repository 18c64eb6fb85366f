using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Gpio.Native;

namespace DeviceAgent.Hardware.Tests.Gpio;

/// <summary>What a technician reads when the LED or the button is missing: what, and what to check.</summary>
public sealed class GpioExceptionTests
{
    [Theory]
    [InlineData(LibC.EACCES)]
    [InlineData(LibC.EPERM)]
    public void Permission_denied_names_the_gpio_group(int errno)
    {
        var e = GpioException.OpenFailed("/dev/gpiochip0", errno);
        Assert.True(e.IsPermissionDenied);
        Assert.Contains("permission denied opening /dev/gpiochip0", e.Message, StringComparison.Ordinal);
        Assert.Contains("usermod -aG gpio", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_busy_line_names_its_holder_the_pin_numbering_and_the_overlays()
    {
        var e = GpioException.RequestFailed("/dev/gpiochip0", "pinctrl-bcm2711", 7, LibC.EBUSY, "spi0 CS1");
        Assert.True(e.IsBusy);
        Assert.StartsWith("line 7 of /dev/gpiochip0 (pinctrl-bcm2711) is already in use by 'spi0 CS1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("BCM GPIO numbers, not the header pin numbers", e.Message, StringComparison.Ordinal);
        Assert.Contains("overlay", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_line_names_the_chips_range()
    {
        var e = GpioException.NoSuchLine("/dev/gpiochip0", "pinctrl-rp1", 60, 54);
        Assert.StartsWith("line 60 does not exist on /dev/gpiochip0 (pinctrl-rp1, 54 lines, 0-53)", e.Message, StringComparison.Ordinal);
        Assert.Equal(60, e.Offset);
        Assert.Null(e.Errno);
    }

    [Fact]
    public void A_refused_configuration_suggests_the_bias_or_an_old_kernel()
    {
        var e = GpioException.RequestFailed("/dev/gpiochip0", "", 27, LibC.EINVAL, null);
        Assert.StartsWith("the kernel refused the configuration of line 27 of /dev/gpiochip0: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("bias", e.Message, StringComparison.Ordinal);
        Assert.Contains("5.10", e.Message, StringComparison.Ordinal);
    }
}
