using System.Device.Gpio;
using DeviceAgent.Hardware.Status;
using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.Status;

public sealed class LedStatusIndicatorTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<string> _reports = [];
    private readonly FakeGpioDriver _driver = new();
    private readonly GpioController _controller;
    private readonly LedStatusIndicator _indicator;

    public LedStatusIndicatorTests()
    {
        _controller = new GpioController(_driver);
        _indicator = new LedStatusIndicator(_controller, 17, activeLow: false, _time, _reports.Add);
    }

    private bool Lit => _driver.IsHigh(17);

    // Writes after the one that opened the pin dark.
    private int Writes => _driver.WritesTo(17).Count - 1;

    public void Dispose()
    {
        _indicator.Dispose();
        _controller.Dispose();
    }

    [Fact]
    public void The_pin_is_opened_as_an_output_and_stays_dark_until_a_state_is_shown()
    {
        Assert.Equal(PinMode.Output, _driver.ModeOf(17));
        Assert.False(Lit);
        Assert.Equal(0, Writes);
    }

    [Fact]
    public void An_active_low_LED_is_lit_by_the_low_level()
    {
        using var driver = new FakeGpioDriver();
        using var controller = new GpioController(driver);
        using var indicator = new LedStatusIndicator(controller, 4, activeLow: true, _time, _reports.Add);
        Assert.True(driver.IsHigh(4)); // dark

        indicator.Show(DeviceState.Connected);

        Assert.False(driver.IsHigh(4));
    }

    [Theory]
    [InlineData(DeviceState.Unprovisioned)]
    [InlineData(DeviceState.Provisioning)]
    [InlineData(DeviceState.Connected)]
    [InlineData(DeviceState.Error)]
    public void The_LED_follows_the_states_pattern_millisecond_by_millisecond(DeviceState state)
    {
        var pattern = BlinkPattern.For(state);
        _indicator.Show(state);
        for (var ms = 0; ms < 5000; ms++)
        {
            Assert.True(pattern.IsOnAt(TimeSpan.FromMilliseconds(ms)) == Lit, $"{pattern} at {ms} ms");
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public void A_steady_pattern_writes_once_and_keeps_no_timer()
    {
        _indicator.Show(DeviceState.Connected);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, Writes);
        Assert.True(Lit);
        Assert.Equal(0, _time.ScheduledTimers);
    }

    [Fact]
    public void Showing_the_current_state_again_does_not_restart_its_pattern()
    {
        _indicator.Show(DeviceState.Unprovisioned);
        _time.Advance(TimeSpan.FromMilliseconds(1500)); // off phase of the slow blink
        _indicator.Show(DeviceState.Unprovisioned);
        Assert.False(Lit);
        Assert.Equal(2, Writes); // on at 0, off at 1000
    }

    [Fact]
    public void A_new_state_starts_its_pattern_at_once_and_the_old_one_stops()
    {
        _indicator.Show(DeviceState.Provisioning);
        _time.Advance(TimeSpan.FromMilliseconds(150)); // fast blink: off since 100 ms
        Assert.False(Lit);

        _indicator.Show(DeviceState.Connected);
        Assert.True(Lit);
        var writes = Writes;
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(writes, Writes);
        Assert.Equal(0, _time.ScheduledTimers);
        Assert.Equal(DeviceState.Connected, _indicator.State);
    }

    [Fact]
    public void Switching_between_blinking_states_keeps_exactly_one_timer()
    {
        _indicator.Show(DeviceState.Provisioning);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        _indicator.Show(DeviceState.Error);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        _indicator.Show(DeviceState.Unprovisioned);
        Assert.Equal(1, _time.ScheduledTimers);
        var started = _time.Elapsed;
        for (var ms = 0; ms < 4000; ms += 10)
        {
            Assert.Equal(BlinkPattern.SlowBlink.IsOnAt(_time.Elapsed - started), Lit);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }
    }

    [Fact]
    public void A_failing_LED_is_reported_once_and_then_left_alone()
    {
        _indicator.Show(DeviceState.Provisioning);
        _driver.FailWith = new IOException("setting line 17 of /dev/gpiochip0 failed: No such device");
        _time.Advance(TimeSpan.FromSeconds(3));
        _indicator.Show(DeviceState.Error);
        _indicator.Show(DeviceState.Connected);

        var report = Assert.Single(_reports);
        Assert.Equal("status LED disabled: setting line 17 of /dev/gpiochip0 failed: No such device", report);
        Assert.False(_indicator.IsWorking);
        Assert.Equal(0, _time.ScheduledTimers);
    }

    [Fact]
    public void Dispose_turns_the_LED_off_and_releases_the_line()
    {
        _indicator.Show(DeviceState.Connected);
        _indicator.Dispose();
        Assert.False(Lit);
        Assert.Contains(17, _driver.Closed);
        _indicator.Show(DeviceState.Error); // ignored, no throw
        Assert.Empty(_reports);
    }

    [Fact]
    public void The_null_indicator_accepts_every_state()
    {
        foreach (var state in Enum.GetValues<DeviceState>())
            NullStatusIndicator.Instance.Show(state);
    }
}
