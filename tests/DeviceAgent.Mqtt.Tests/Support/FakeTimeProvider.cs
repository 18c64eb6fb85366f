namespace DeviceAgent.Mqtt.Tests.Support;

/// <summary>
/// A clock that moves only when told: keep-alive and backoff become deterministic, no test
/// waits on real time for them. Timers fire (on the thread pool) when <see cref="Advance"/>
/// passes their due time.
/// </summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_lock)
            return _ticks;
    }

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    /// <summary>How many timers are armed: a loop that waits on the clock has one.</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
                return _timers.Count(t => t.Due >= 0);
        }
    }

    /// <summary>Moves the clock exactly to the earliest armed timer (which then fires) and returns the new time.</summary>
    public TimeSpan AdvanceToNextTimer()
    {
        long next;
        lock (_lock)
            next = _timers.Where(t => t.Due >= 0).Min(t => t.Due);
        Advance(TimeSpan.FromTicks(next - GetTimestamp()));
        return TimeSpan.FromTicks(next);
    }

    public void Advance(TimeSpan by)
    {
        List<FakeTimer> due;
        lock (_lock)
        {
            _ticks += by.Ticks;
            due = [.. _timers.Where(t => t.Due >= 0 && t.Due <= _ticks)];
            foreach (var timer in due)
                timer.Due = timer.Period > 0 ? _ticks + timer.Period : -1;
        }
        foreach (var timer in due)
            ThreadPool.QueueUserWorkItem(_ => timer.Callback(timer.State));
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback => callback;
        public object? State => state;
        public long Due { get; set; } = -1;
        public long Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                if (!owner._timers.Contains(this))
                    owner._timers.Add(this);
                Due = dueTime == Timeout.InfiniteTimeSpan ? -1 : owner._ticks + dueTime.Ticks;
                Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            }
            return true;
        }

        public void Dispose()
        {
            lock (owner._lock)
                owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
