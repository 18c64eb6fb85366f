namespace DeviceAgent.Tests.Support;

/// <summary>
/// The system clock whose wall-clock reading (<see cref="GetUtcNow"/>) is shifted by <see cref="Offset"/>, which a
/// test changes to make the clock jump; timestamps and timers stay the system's monotonic ones, as on a device
/// whose RTC or NTP steps the time. Thread-safe.
/// </summary>
internal sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the wall clock is off the real time.</summary>
    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
