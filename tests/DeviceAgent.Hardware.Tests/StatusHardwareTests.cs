using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Gpio.Native;
using DeviceAgent.Hardware.Status;
using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests;

/// <summary>The daemon's view: LED and button from options, with absent parts reported once and replaced by null parts.</summary>
public sealed class StatusHardwareTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<string> _reports = [];
    private readonly FakeGpioChip _chip;
    private readonly GpioOptions _options = new() { Chip = "/dev/gpiochip0", LedLine = 17, ButtonLine = 27 };
    private int _opens;

    public StatusHardwareTests()
    {
        _chip = new FakeGpioChip(time: _time);
    }

    public void Dispose() => _chip.Dispose();

    [Fact]
    public void Without_an_LED_or_a_button_configured_nothing_is_opened_or_reported()
    {
        using var hardware = StatusHardware.Open(new GpioOptions(), _time, _reports.Add, Opener);
        Assert.Equal(0, _opens);
        Assert.Empty(_reports);
        Assert.IsType<NullStatusIndicator>(hardware.Indicator);
        Assert.False(hardware.HasButton);
    }

    [Fact]
    public void Configured_lines_are_requested_with_their_polarity_bias_and_consumer()
    {
        _options.LedActiveLow = true;
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener);

        Assert.True(hardware.HasLed);
        Assert.True(hardware.HasButton);
        Assert.Empty(_reports);
        var led = Assert.Single(_chip.Outputs);
        Assert.Equal((17, true, "deviceagent"), (led.Offset, led.ActiveLow, led.Consumer));
        Assert.False(led.Value); // off until the first state
        var button = Assert.Single(_chip.Inputs);
        Assert.Equal((27, true, GpioBias.PullUp, "deviceagent"), (button.Offset, button.ActiveLow, button.Bias, button.Consumer));
        Assert.True(_chip.IsDisposed); // line requests outlive the chip descriptor
    }

    [Fact]
    public void The_indicator_blinks_and_a_long_press_asks_to_reprovision()
    {
        _options.LongPressMilliseconds = 3000;
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener);
        var requests = 0;
        hardware.Button.ReprovisionRequested += (_, _) => requests++;

        hardware.Indicator.Show(DeviceState.Error);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([true, false, true, false, true], _chip.Outputs[0].Writes.Select(w => w.Value).Skip(1).ToArray());

        _chip.Inputs[0].Drive(true);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, requests);
    }

    [Fact]
    public void A_missing_chip_is_reported_once_and_both_parts_become_null()
    {
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, path => throw GpioException.OpenFailed(path, LibC.ENOENT));
        var report = Assert.Single(_reports);
        Assert.StartsWith("status LED and re-provision button disabled: GPIO chip /dev/gpiochip0 does not exist", report, StringComparison.Ordinal);
        Assert.False(hardware.HasLed);
        Assert.False(hardware.HasButton);
        hardware.Indicator.Show(DeviceState.Connected); // the agent runs on
    }

    [Fact]
    public void A_busy_button_line_is_reported_and_the_LED_still_works()
    {
        _chip.Claim(27, "gpio_keys");
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener);
        var report = Assert.Single(_reports);
        Assert.StartsWith("re-provision button disabled: line 27 of /dev/gpiochip0 (pinctrl-bcm2711) is already in use by 'gpio_keys'", report, StringComparison.Ordinal);
        Assert.True(hardware.HasLed);
        Assert.False(hardware.HasButton);
    }

    [Fact]
    public void An_LED_line_beyond_the_chip_is_reported_and_the_button_still_works()
    {
        _options.LedLine = 99;
        using var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener);
        var report = Assert.Single(_reports);
        Assert.StartsWith("status LED disabled: line 99 does not exist on /dev/gpiochip0", report, StringComparison.Ordinal);
        Assert.False(hardware.HasLed);
        Assert.True(hardware.HasButton);
    }

    [Fact]
    public void Dispose_turns_the_LED_off_and_releases_both_lines()
    {
        var hardware = StatusHardware.Open(_options, _time, _reports.Add, Opener);
        hardware.Indicator.Show(DeviceState.Connected);
        hardware.Dispose();
        Assert.False(_chip.Outputs[0].Value);
        Assert.True(_chip.Outputs[0].IsDisposed);
        Assert.True(_chip.Inputs[0].IsDisposed);
    }

    [Fact]
    public void Invalid_options_are_a_configuration_error_not_missing_hardware()
    {
        _options.ButtonLine = 17;
        var e = Assert.Throws<ArgumentException>(() => StatusHardware.Open(_options, _time, _reports.Add, Opener));
        Assert.Contains("hardware.ledLine and hardware.buttonLine are both 17", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, _opens);
    }

    private FakeGpioChip Opener(string path)
    {
        _opens++;
        return _chip;
    }
}
