namespace DeviceAgent.Runtime;

/// <summary>
/// Exponential backoff with jitter between a minimum and a maximum, so that a fleet that lost
/// its service does not return in a stampede. Reset after a success. Not thread-safe.
/// </summary>
public sealed class RetryPolicy(TimeSpan minimum, TimeSpan maximum, Random? random = null)
{
    private readonly Random _random = random ?? new Random();
    private int _failures;

    /// <summary>The next delay: minimum * 2^n, capped, with up to ±25% jitter.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures++, 30);
        var ceiling = Math.Min(maximum.TotalMilliseconds, minimum.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * (0.75 + 0.5 * _random.NextDouble()));
    }

    /// <summary>Forgets past failures.</summary>
    public void Reset() => _failures = 0;
}
