namespace DeviceAgent.Hardware.Tests.Support;

/// <summary>
/// A clock that moves only when the test says so. Timers fire synchronously, in due order, on the
/// thread that calls <see cref="Advance(TimeSpan)"/>; a timer due at zero fires at the next Advance (even by
/// zero). (Microsoft.Extensions.TimeProvider.Testing is not obtainable from the package registry.)
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TimeSpan _elapsed;
    private long _sequence;

    /// <summary>How far the clock has moved since it was created.</summary>
    public TimeSpan Elapsed
    {
        get
        {
            lock (_gate)
                return _elapsed;
        }
    }

    /// <summary>Timers that are scheduled to fire.</summary>
    public int ScheduledTimers
    {
        get
        {
            lock (_gate)
                return _timers.Count(t => t.Due is not null);
        }
    }

    public override DateTimeOffset GetUtcNow() => _start + Elapsed;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Elapsed.Ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
            _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, at its due time.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        TimeSpan target;
        lock (_gate)
            target = _elapsed + by;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due <= target).OrderBy(t => t.Due).ThenBy(t => t.Order).FirstOrDefault();
                if (next is null)
                {
                    _elapsed = target;
                    return;
                }
                _elapsed = next.Due!.Value;
                next.Due = next.Period is { } period ? _elapsed + period : null;
                next.Order = ++_sequence;
            }
            next.Callback(next.State);
        }
    }

    /// <summary>Moves the clock in small steps (so that step-by-step observers see every change).</summary>
    public void Advance(TimeSpan by, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
            Advance(step < by - moved ? step : by - moved);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        public TimeSpan? Due { get; set; }

        public TimeSpan? Period { get; set; }

        public long Order { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                    return false;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._elapsed + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                Order = ++owner._sequence;
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
                owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
