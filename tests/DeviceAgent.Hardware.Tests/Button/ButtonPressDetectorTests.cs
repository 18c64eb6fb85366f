using DeviceAgent.Hardware.Button;
using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.Button;

/// <summary>Debounce and long press on a fake clock with scripted edges (50 ms debounce, 5 s long press).</summary>
public sealed class ButtonPressDetectorTests : IDisposable
{
    private static readonly TimeSpan s_debounce = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_longPress = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();
    private readonly List<TimeSpan> _longPresses = [];
    private ButtonPressDetector _detector;

    public ButtonPressDetectorTests()
    {
        _detector = Start(initiallyPressed: false);
    }

    public void Dispose() => _detector.Dispose();

    [Fact]
    public void Holding_the_button_raises_one_long_press_at_the_threshold_not_at_release()
    {
        _detector.OnLevel(true);
        Wait(s_longPress - Ms(1));
        Assert.Empty(_longPresses);
        Wait(Ms(1));
        Assert.Equal([s_longPress], _longPresses);
        Wait(TimeSpan.FromSeconds(30));
        _detector.OnLevel(false);
        Wait(Ms(100));
        Assert.Single(_longPresses);
    }

    [Fact]
    public void A_short_press_is_seen_but_raises_nothing()
    {
        _detector.OnLevel(true);
        Wait(s_debounce);
        Assert.True(_detector.IsPressed);
        Wait(TimeSpan.FromSeconds(1));
        _detector.OnLevel(false);
        Wait(s_debounce);
        Assert.False(_detector.IsPressed);
        Wait(TimeSpan.FromSeconds(10));
        Assert.Empty(_longPresses);
        Assert.Equal(0, _time.ScheduledTimers);
    }

    [Fact]
    public void A_level_counts_only_after_holding_for_the_debounce_time()
    {
        _detector.OnLevel(true);
        Wait(s_debounce - Ms(1));
        Assert.False(_detector.IsPressed);
        Wait(Ms(1));
        Assert.True(_detector.IsPressed);
    }

    [Fact]
    public void Contact_bounce_on_press_makes_one_press_timed_from_its_last_edge()
    {
        // Bounces 10 ms apart for 40 ms, then the contact settles closed.
        foreach (var level in new[] { true, false, true, false, true })
        {
            _detector.OnLevel(level);
            Wait(Ms(10));
        }
        var settledAt = _time.Elapsed - Ms(10);
        Wait(s_debounce);
        Assert.True(_detector.IsPressed);
        Wait(settledAt + s_longPress - _time.Elapsed);
        Assert.Equal([settledAt + s_longPress], _longPresses);
    }

    [Fact]
    public void A_spike_shorter_than_the_debounce_time_is_ignored()
    {
        _detector.OnLevel(true);
        Wait(Ms(20));
        _detector.OnLevel(false);
        Wait(TimeSpan.FromSeconds(10));
        Assert.False(_detector.IsPressed);
        Assert.Empty(_longPresses);
    }

    [Fact]
    public void A_release_glitch_while_held_does_not_restart_the_long_press()
    {
        _detector.OnLevel(true);
        Wait(TimeSpan.FromSeconds(3));
        _detector.OnLevel(false);
        Wait(Ms(10));
        _detector.OnLevel(true);
        Wait(TimeSpan.FromSeconds(2) - Ms(10));
        Assert.Equal([s_longPress], _longPresses);
    }

    [Fact]
    public void A_real_release_bouncing_across_the_threshold_cancels_the_long_press()
    {
        _detector.OnLevel(true);
        Wait(s_longPress - Ms(10)); // released 10 ms before the threshold
        _detector.OnLevel(false);
        Wait(Ms(5));
        _detector.OnLevel(true);
        Wait(Ms(3));
        _detector.OnLevel(false); // settles open
        Wait(TimeSpan.FromSeconds(1));
        Assert.False(_detector.IsPressed);
        Assert.Empty(_longPresses);
    }

    [Fact]
    public void A_glitch_across_the_threshold_fires_as_soon_as_the_press_is_confirmed()
    {
        _detector.OnLevel(true);
        Wait(s_longPress - Ms(10));
        _detector.OnLevel(false);
        Wait(Ms(30)); // still open when the threshold passes: undecided
        Assert.Empty(_longPresses);
        _detector.OnLevel(true); // a glitch after all
        Wait(TimeSpan.FromSeconds(1));
        Assert.Equal([s_longPress + Ms(20) + s_debounce], _longPresses);
    }

    [Fact]
    public void Each_long_press_is_raised_once()
    {
        for (var press = 0; press < 3; press++)
        {
            _detector.OnLevel(true);
            Wait(TimeSpan.FromSeconds(8));
            _detector.OnLevel(false);
            Wait(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(3, _longPresses.Count);
    }

    [Fact]
    public void A_repeated_level_does_not_restart_the_debounce()
    {
        _detector.OnLevel(true);
        Wait(Ms(30));
        _detector.OnLevel(true);
        Wait(Ms(20));
        Assert.True(_detector.IsPressed);
    }

    [Fact]
    public void A_button_pressed_at_start_is_ignored_until_it_has_been_released()
    {
        _detector.Dispose();
        _detector = Start(initiallyPressed: true);
        Assert.True(_detector.IsPressed);
        Wait(TimeSpan.FromMinutes(1));
        Assert.Empty(_longPresses);

        _detector.OnLevel(false);
        Wait(TimeSpan.FromSeconds(1));
        _detector.OnLevel(true);
        Wait(s_longPress);
        Assert.Single(_longPresses);
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        _detector.Dispose();
        _detector = new ButtonPressDetector(_time, new ButtonTiming(Ms(10), TimeSpan.FromSeconds(1)), initiallyPressed: false);
        _detector.LongPress += (_, _) => _longPresses.Add(_time.Elapsed);
        _detector.OnLevel(true);
        Wait(TimeSpan.FromSeconds(2));
        Assert.Equal([TimeSpan.FromSeconds(1)], _longPresses);
    }

    [Fact]
    public void After_dispose_edges_and_timers_do_nothing()
    {
        _detector.OnLevel(true);
        _detector.Dispose();
        Wait(TimeSpan.FromSeconds(10));
        _detector.OnLevel(false);
        Assert.Empty(_longPresses);
        Assert.Equal(0, _time.ScheduledTimers);
    }

    [Theory]
    [InlineData(0, 5000, "debounce")]
    [InlineData(-5, 5000, "debounce")]
    [InlineData(50, 50, "longPress")]
    [InlineData(100, 20, "longPress")]
    public void Invalid_thresholds_are_refused(int debounceMs, int longPressMs, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ButtonTiming(Ms(debounceMs), Ms(longPressMs)));
        Assert.Equal(parameter, e.ParamName);
    }

    private ButtonPressDetector Start(bool initiallyPressed)
    {
        var detector = new ButtonPressDetector(_time, new ButtonTiming(s_debounce, s_longPress), initiallyPressed);
        detector.LongPress += (_, _) => _longPresses.Add(_time.Elapsed);
        return detector;
    }

    private void Wait(TimeSpan span) => _time.Advance(span);

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
