namespace DeviceAgent.Renewal;

/// <summary>
/// The wait after a failed renewal attempt: doubling from 1/16 of the cap
/// (<see cref="RenewalSettings.RetryCap"/> of the leaf's lifetime, about 4%), capped, with ±20%
/// jitter so a fleet that failed together does not retry together, and never past the leaf's end
/// of validity. Not thread-safe (one renewal loop owns it).
/// </summary>
public sealed class RenewalBackoff(RenewalSchedule schedule, RenewalSettings settings, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The longest wait.</summary>
    public TimeSpan Cap => schedule.Lifetime * settings.RetryCap;

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1 for the first failure), at <paramref name="now"/>.</summary>
    public TimeSpan After(int attempt, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var doublings = Math.Min(attempt - 1, 4);
        var wait = Cap / 16 * Math.Pow(2, doublings);
        wait *= 0.8 + (0.4 * _random.NextDouble());
        if (wait > Cap)
            wait = Cap;
        var untilExpiry = schedule.NotAfter - now;
        return untilExpiry <= TimeSpan.Zero ? TimeSpan.Zero : wait < untilExpiry ? wait : untilExpiry;
    }
}
