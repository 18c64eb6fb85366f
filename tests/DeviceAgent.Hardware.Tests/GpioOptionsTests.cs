using DeviceAgent.Hardware.Gpio;

namespace DeviceAgent.Hardware.Tests;

public sealed class GpioOptionsTests
{
    [Fact]
    public void Defaults_suit_a_button_to_ground_on_the_first_chip()
    {
        var options = new GpioOptions();
        Assert.Equal("gpiochip0", options.Chip);
        Assert.True(options.ButtonActiveLow);
        Assert.Equal(GpioBias.PullUp, options.ButtonBias);
        Assert.False(options.IsConfigured);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.ButtonTiming.Debounce);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ButtonTiming.LongPress);
    }

    public static TheoryData<string, Action<GpioOptions>, string> InvalidOptions() => new()
    {
        { "empty chip", o => o.Chip = " ", "hardware.chip is empty" },
        { "negative LED line", o => o.LedLine = -1, "hardware.ledLine is -1" },
        { "negative button line", o => o.ButtonLine = -3, "hardware.buttonLine is -3" },
        { "shared line", o => { o.LedLine = 4; o.ButtonLine = 4; }, "hardware.ledLine and hardware.buttonLine are both 4" },
        { "zero debounce", o => o.DebounceMilliseconds = 0, "hardware.debounceMilliseconds is 0" },
        { "long press too short", o => o.LongPressMilliseconds = 40, "hardware.longPressMilliseconds (40) must be longer" },
        { "unknown bias", o => o.ButtonBias = (GpioBias)9, "hardware.buttonBias is 9" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_name_the_key(string description, Action<GpioOptions> change, string message)
    {
        var options = new GpioOptions();
        change(options);
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.True(e.Message.StartsWith(message, StringComparison.Ordinal), $"{description}: {e.Message}");
    }
}
