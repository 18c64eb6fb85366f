using System.Collections.Concurrent;

namespace ProvisioningEndpoint.Registration;

/// <summary>
/// DPS's operation-status limit: at most <see cref="Limit"/> polls per <see cref="Window"/> per
/// device (the service documents 5 per 10 seconds). Per endpoint instance; thread-safe.
/// </summary>
public sealed class PollThrottle(TimeProvider clock, int limit = 5, TimeSpan? window = null)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _polls = new(StringComparer.Ordinal);

    /// <summary>Polls allowed per window.</summary>
    public int Limit { get; } = limit;

    /// <summary>The window.</summary>
    public TimeSpan Window { get; } = window ?? TimeSpan.FromSeconds(10);

    /// <summary>Counts one poll; returns the seconds to wait when it is over the limit, else null.</summary>
    public int? TryPoll(string registrationId)
    {
        var now = clock.GetUtcNow();
        var polls = _polls.GetOrAdd(registrationId, _ => new Queue<DateTimeOffset>());
        lock (polls)
        {
            while (polls.Count > 0 && now - polls.Peek() >= Window)
                polls.Dequeue();
            if (polls.Count >= Limit)
                return Math.Max(1, (int)Math.Ceiling((polls.Peek() + Window - now).TotalSeconds));
            polls.Enqueue(now);
            return null;
        }
    }
}
