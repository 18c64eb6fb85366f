using DeviceAgent.Hardware.Gpio;

namespace DeviceAgent.Hardware.Tests.Gpio;

public sealed class GpioChipLocatorTests
{
    private int _listed;

    private IReadOnlyList<GpioChip> Chips()
    {
        _listed++;
        return [new(0, "gpiochip0", "pinctrl-bcm2711"), new(1, "gpiochip1", "raspberrypi-exp-gpio")];
    }

    [Theory]
    [InlineData("/dev/gpiochip4", 4)]
    [InlineData("gpiochip12", 12)]
    public void A_path_or_device_name_gives_its_number_without_listing_the_chips(string chip, int number)
    {
        Assert.Equal(number, GpioChipLocator.Resolve(chip, Chips));
        Assert.Equal(0, _listed);
    }

    [Fact]
    public void A_label_is_looked_up_among_the_chips()
    {
        Assert.Equal(1, GpioChipLocator.Resolve("raspberrypi-exp-gpio", Chips));
    }

    [Fact]
    public void A_path_that_is_not_a_chip_says_what_to_set()
    {
        var e = Assert.Throws<GpioException>(() => GpioChipLocator.Resolve("/dev/ttyAMA0", Chips));
        Assert.StartsWith("/dev/ttyAMA0 is not a GPIO chip device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_without_chips_says_so()
    {
        var e = Assert.Throws<GpioException>(() => GpioChipLocator.Resolve("pinctrl-rp1", () => []));
        Assert.StartsWith("no GPIO chips on this machine (looking for the chip labelled 'pinctrl-rp1')", e.Message, StringComparison.Ordinal);
    }
}
