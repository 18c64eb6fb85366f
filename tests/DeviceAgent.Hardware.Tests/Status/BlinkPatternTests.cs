using DeviceAgent.Hardware.Status;

namespace DeviceAgent.Hardware.Tests.Status;

public sealed class BlinkPatternTests
{
    public static TheoryData<DeviceState> States() => new(Enum.GetValues<DeviceState>());

    [Fact]
    public void Every_state_has_its_own_pattern_that_looks_different_over_two_seconds()
    {
        var looks = Enum.GetValues<DeviceState>()
            .Select(state => string.Concat(Enumerable.Range(0, 2000).Select(ms => BlinkPattern.For(state).IsOnAt(TimeSpan.FromMilliseconds(ms)) ? '1' : '0')))
            .ToArray();
        Assert.Equal(looks.Length, looks.Distinct().Count());
    }

    [Theory]
    [InlineData(DeviceState.Unprovisioned, "slow blink")]
    [InlineData(DeviceState.Provisioning, "fast blink")]
    [InlineData(DeviceState.Connected, "steady on")]
    [InlineData(DeviceState.Error, "double flash")]
    public void States_map_to_the_documented_patterns(DeviceState state, string name)
    {
        Assert.Equal(name, BlinkPattern.For(state).Name);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(999, true)]
    [InlineData(1000, false)]
    [InlineData(1999, false)]
    [InlineData(2000, true)]
    [InlineData(7500, false)]
    public void Slow_blink_is_one_second_on_one_second_off(int milliseconds, bool on)
    {
        Assert.Equal(on, BlinkPattern.SlowBlink.IsOnAt(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(TimeSpan.FromSeconds(2), BlinkPattern.SlowBlink.Period);
    }

    [Fact]
    public void Fast_blink_flashes_five_times_a_second()
    {
        Assert.Equal(5, Flashes(BlinkPattern.FastBlink, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(200), BlinkPattern.FastBlink.Period);
    }

    [Fact]
    public void Double_flash_flashes_twice_then_pauses_every_two_seconds()
    {
        var pattern = BlinkPattern.DoubleFlash;
        Assert.Equal(TimeSpan.FromSeconds(2), pattern.Period);
        Assert.Equal(2, Flashes(pattern, pattern.Period));
        Assert.True(pattern.IsOnAt(TimeSpan.Zero));
        Assert.False(pattern.IsOnAt(TimeSpan.FromMilliseconds(150)));
        Assert.True(pattern.IsOnAt(TimeSpan.FromMilliseconds(300)));
        Assert.False(pattern.IsOnAt(TimeSpan.FromMilliseconds(450)));
        Assert.False(pattern.IsOnAt(TimeSpan.FromMilliseconds(1999)));
        Assert.True(pattern.IsOnAt(TimeSpan.FromMilliseconds(2000)));
    }

    [Fact]
    public void Steady_on_never_changes()
    {
        Assert.True(BlinkPattern.SteadyOn.IsSteady);
        Assert.Equal(Timeout.InfiniteTimeSpan, BlinkPattern.SteadyOn.Period);
        Assert.All(new[] { 0, 1, 999_999 }, s => Assert.True(BlinkPattern.SteadyOn.IsOnAt(TimeSpan.FromSeconds(s))));
        Assert.False(BlinkPattern.SteadyOff.IsOnAt(TimeSpan.FromHours(1)));
    }

    public static TheoryData<string, BlinkStep[]> InvalidPatterns() => new()
    {
        { "no steps", [] },
        { "a zero step", [new(true, TimeSpan.Zero), new(false, TimeSpan.FromSeconds(1))] },
        { "a negative step", [new(true, TimeSpan.FromSeconds(-1))] },
        { "forever among others", [new(true, Timeout.InfiniteTimeSpan), new(false, TimeSpan.FromSeconds(1))] },
    };

    [Theory]
    [MemberData(nameof(InvalidPatterns))]
    public void Invalid_patterns_are_refused(string description, BlinkStep[] steps)
    {
        var e = Assert.Throws<ArgumentException>(() => new BlinkPattern(description, steps));
        Assert.Equal("steps", e.ParamName);
    }

    private static int Flashes(BlinkPattern pattern, TimeSpan span)
    {
        var flashes = 0;
        var previous = false;
        for (var ms = 0; ms < span.TotalMilliseconds; ms++)
        {
            var on = pattern.IsOnAt(TimeSpan.FromMilliseconds(ms));
            if (on && !previous)
                flashes++;
            previous = on;
        }
        return flashes;
    }
}
