using DeviceAgent.Renewal;

namespace DeviceAgent.Tests.Renewal;

public sealed class RenewalBackoffTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Waits_double_from_a_sixteenth_of_the_cap_and_stop_at_four_percent_of_the_lifetime()
    {
        using var leaf = RenewalScheduleTests.Leaf(s_start, TimeSpan.FromDays(100));
        var schedule = RenewalSchedule.For(leaf, new RenewalSettings());
        var backoff = new RenewalBackoff(schedule, new RenewalSettings(), new Random(7));

        var waits = Enumerable.Range(1, 8).Select(a => backoff.After(a, schedule.RenewAt)).ToList();

        Assert.Equal(TimeSpan.FromDays(4), backoff.Cap);
        Assert.InRange(waits[0], backoff.Cap / 16 * 0.8, backoff.Cap / 16 * 1.2);
        Assert.InRange(waits[1], backoff.Cap / 8 * 0.8, backoff.Cap / 8 * 1.2);
        Assert.All(waits, w => Assert.True(w <= backoff.Cap, $"{w} exceeds the cap"));
        Assert.All(waits.Skip(5), w => Assert.InRange(w, backoff.Cap * 0.8, backoff.Cap));
    }

    [Fact]
    public void Jitter_spreads_a_fleet_that_failed_together()
    {
        using var leaf = RenewalScheduleTests.Leaf(s_start, TimeSpan.FromDays(100));
        var schedule = RenewalSchedule.For(leaf, new RenewalSettings());

        var waits = Enumerable.Range(0, 20).Select(seed => new RenewalBackoff(schedule, new RenewalSettings(), new Random(seed)).After(2, schedule.RenewAt)).ToList();

        Assert.True(waits.Distinct().Count() > 15);
    }

    [Fact]
    public void A_wait_never_reaches_past_the_end_of_validity()
    {
        using var leaf = RenewalScheduleTests.Leaf(s_start, TimeSpan.FromDays(100));
        var schedule = RenewalSchedule.For(leaf, new RenewalSettings());
        var backoff = new RenewalBackoff(schedule, new RenewalSettings(), new Random(1));

        Assert.Equal(TimeSpan.FromHours(1), backoff.After(8, schedule.NotAfter - TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.Zero, backoff.After(8, schedule.NotAfter + TimeSpan.FromHours(1)));
    }
}
