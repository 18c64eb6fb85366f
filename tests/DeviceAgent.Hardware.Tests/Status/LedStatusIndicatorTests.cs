using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Status;
using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.Status;

public sealed class LedStatusIndicatorTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<string> _reports = [];
    private readonly FakeOutputLine _led;
    private readonly LedStatusIndicator _indicator;

    public LedStatusIndicatorTests()
    {
        _led = new FakeOutputLine(17, false, "test", _time);
        _indicator = new LedStatusIndicator(_led, _time, _reports.Add);
    }

    public void Dispose() => _indicator.Dispose();

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
            Assert.True(pattern.IsOnAt(TimeSpan.FromMilliseconds(ms)) == _led.Value, $"{pattern} at {ms} ms");
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public void A_steady_pattern_writes_once_and_keeps_no_timer()
    {
        _indicator.Show(DeviceState.Connected);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Single(_led.Writes);
        Assert.True(_led.Value);
        Assert.Equal(0, _time.ScheduledTimers);
    }

    [Fact]
    public void Showing_the_current_state_again_does_not_restart_its_pattern()
    {
        _indicator.Show(DeviceState.Unprovisioned);
        _time.Advance(TimeSpan.FromMilliseconds(1500)); // off phase of the slow blink
        _indicator.Show(DeviceState.Unprovisioned);
        Assert.False(_led.Value);
        Assert.Equal(2, _led.Writes.Count); // on at 0, off at 1000
    }

    [Fact]
    public void A_new_state_starts_its_pattern_at_once_and_the_old_one_stops()
    {
        _indicator.Show(DeviceState.Provisioning);
        _time.Advance(TimeSpan.FromMilliseconds(150)); // fast blink: off since 100 ms
        Assert.False(_led.Value);

        _indicator.Show(DeviceState.Connected);
        Assert.True(_led.Value);
        var writes = _led.Writes.Count;
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(writes, _led.Writes.Count);
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
            Assert.Equal(BlinkPattern.SlowBlink.IsOnAt(_time.Elapsed - started), _led.Value);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }
    }

    [Fact]
    public void A_failing_LED_is_reported_once_and_then_left_alone()
    {
        _indicator.Show(DeviceState.Provisioning);
        _led.FailWith = new GpioException("setting line 17 of /dev/gpiochip0 failed: No such device");
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
        Assert.False(_led.Value);
        Assert.True(_led.IsDisposed);
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
