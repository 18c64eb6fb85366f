namespace DeviceAgent.Pki.Tests.Support;

/// <summary>A clock stopped at one instant, so validity checks are deterministic.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
