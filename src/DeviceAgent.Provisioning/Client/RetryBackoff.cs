namespace DeviceAgent.Provisioning.Client;

/// <summary>
/// Exponential backoff with jitter for retries after a transient failure: attempt <c>n</c> (from 1)
/// waits <c>min(maximum, initial * 2^(n-1))</c> reduced by a random fraction of up to one half, so
/// that a fleet that lost its server does not come back in step. Not thread-safe (one retry loop uses it).
/// </summary>
internal sealed class RetryBackoff(TimeSpan initial, TimeSpan maximum, Random random)
{
    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 62);
        var ceiling = Math.Min(maximum.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(Math.Max(0, ceiling * (1 - (0.5 * random.NextDouble()))));
    }
}
