using System.Device.Gpio;
using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Status;
using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests;

/// <summary>The daemon's view: LED and button from options, with absent parts reported once and replaced by null parts.</summary>
public sealed class StatusHardwareTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<string> _reports = [];
    private readonly FakeGpioDriver _driver = new();
    private readonly GpioOptions _options = new() { Chip = "/dev/gpiochip0", LedLine = 17, ButtonLine = 27 };
    private readonly List<int> _opened = [];

    private GpioDriver Opener(int chip)
    {
        _opened.Add(chip);
        return _driver;
    }

    private static IReadOnlyList<GpioChip> Chips() => [new(0, "gpiochip0", "pinctrl-bcm2711"), new(4, "gpiochip4", "pinctrl-rp1")];

    [Fact]
    public void Without_an_LED_or_a_button_configured_nothing_is_opened_or_reported()
    {
        using var hardware = StatusHardware.Open(new GpioOptions(), _time, _reports.Add, Opener, Chips);
        Assert.Empty(_opened);
        Assert.Empty(_reports);
        Assert.IsType<NullStatusIndicator>(hardware.Indicator);
        Assert.False(hardware.HasButton);
    }

    [Fact]
    public void Configured_lines_are_opened_with_their_direction_and_bias_the_LED_dark()
    {
        _options.LedActiveLow = true;
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips);

        Assert.Equal((true, true), (hardware.HasLed, hardware.HasButton));
        Assert.Empty(_reports);
        Assert.Equal([0], _opened);
        Assert.Equal((PinMode.Output, PinMode.InputPullUp), (_driver.ModeOf(17), _driver.ModeOf(27)));
        Assert.True(_driver.IsHigh(17)); // active low: dark until the first state
    }

    [Theory]
    [InlineData("pinctrl-rp1", 4)]
    [InlineData("gpiochip4", 4)]
    [InlineData("/dev/gpiochip0", 0)]
    public void The_chip_is_found_by_path_name_or_label(string chip, int number)
    {
        _options.Chip = chip;
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips);
        Assert.Equal([number], _opened);
    }

    [Fact]
    public void An_unknown_label_is_reported_with_the_chips_there_are()
    {
        _options.Chip = "pinctrl-bcm2712";
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips);
        var report = Assert.Single(_reports);
        Assert.Equal("status LED and re-provision button disabled: no GPIO chip is labelled 'pinctrl-bcm2712'; there are gpiochip0 'pinctrl-bcm2711', " +
            "gpiochip4 'pinctrl-rp1': set hardware.chip to one of them", report);
        Assert.Empty(_opened);
    }

    [Fact]
    public void The_indicator_blinks_and_a_long_press_asks_to_reprovision()
    {
        _options.DebounceMilliseconds = 20;
        _options.LongPressMilliseconds = 300;
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips);
        using var asked = new ManualResetEventSlim();
        hardware.Button.ReprovisionRequested += (_, _) => asked.Set();

        hardware.Indicator.Show(DeviceState.Error);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([true, false, true, false, true], _driver.WritesTo(17).Skip(1).Select(v => v == PinValue.High).ToArray());

        _driver.Drive(27, PinValue.Low);
        Assert.True(asked.Wait(TimeSpan.FromSeconds(5)), "a long press did not ask to re-provision");
    }

    [Fact]
    public void A_missing_chip_or_libgpiod_is_reported_once_and_both_parts_become_null()
    {
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add,
            _ => throw new GpioException("cannot open /dev/gpiochip0 through libgpiod (...)"), Chips);
        var report = Assert.Single(_reports);
        Assert.Equal("status LED and re-provision button disabled: cannot open /dev/gpiochip0 through libgpiod (...)", report);
        Assert.False(hardware.HasLed);
        Assert.False(hardware.HasButton);
        hardware.Indicator.Show(DeviceState.Connected); // the agent runs on
    }

    [Fact]
    public void A_busy_button_line_is_reported_and_the_LED_still_works()
    {
        _driver.Claim(27);
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips);
        var report = Assert.Single(_reports);
        Assert.StartsWith("re-provision button disabled: re-provision button (line 27 of /dev/gpiochip0): Pin 27 is not available. Error: Device or resource busy; " +
            "check the pin numbers", report, StringComparison.Ordinal);
        Assert.Contains("gpioinfo", report, StringComparison.Ordinal);
        Assert.True(hardware.HasLed);
        Assert.False(hardware.HasButton);
    }

    [Fact]
    public void An_LED_line_beyond_the_chip_is_reported_and_the_button_still_works()
    {
        _options.LedLine = 99;
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips);
        var report = Assert.Single(_reports);
        Assert.StartsWith("status LED disabled: line 99 does not exist on /dev/gpiochip0 (58 lines, 0-57)", report, StringComparison.Ordinal);
        Assert.False(hardware.HasLed);
        Assert.True(hardware.HasButton);
    }

    [Fact]
    public void Nothing_usable_releases_the_chip()
    {
        _driver.Claim(17).Claim(27);
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips);
        Assert.Equal(2, _reports.Count);
        Assert.True(_driver.IsDisposed);
    }

    [Fact]
    public void Dispose_turns_the_LED_off_and_releases_both_lines_and_the_chip()
    {
        var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips);
        hardware.Indicator.Show(DeviceState.Connected);
        hardware.Dispose();
        Assert.False(_driver.IsHigh(17));
        Assert.Subset(new HashSet<int> { 17, 27 }, _driver.Closed);
        Assert.True(_driver.IsDisposed);
    }

    [Fact]
    public void Invalid_options_are_a_configuration_error_not_missing_hardware()
    {
        _options.ButtonLine = 17;
        var e = Assert.Throws<ArgumentException>(() => StatusHardware.Open(_options, _time, _reports.Add, Opener, Chips));
        Assert.Contains("hardware.ledLine and hardware.buttonLine are both 17", e.Message, StringComparison.Ordinal);
        Assert.Empty(_opened);
    }
}
