namespace DeviceAgent.Mqtt.Client;

/// <summary>
/// Reconnection of a session built with a connection factory: exponential backoff with jitter.
/// Attempt <c>n</c> (from 1) waits <c>min(MaximumDelay, InitialDelay * Multiplier^(n-1))</c>
/// reduced by a random fraction of up to <see cref="Jitter"/>, so a fleet that lost its server
/// at the same moment does not come back in lockstep. A connection that drops less than
/// <see cref="MaximumDelay"/> after it was made continues the count instead of restarting it,
/// so a server that accepts and drops at once is not hammered every <see cref="InitialDelay"/>.
/// </summary>
public sealed class MqttReconnectOptions
{
    /// <summary>The delay before the first attempt (default 1 s).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The upper bound of any delay (default 2 min).</summary>
    public TimeSpan MaximumDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The growth factor per attempt (default 2).</summary>
    public double Multiplier { get; init; } = 2;

    /// <summary>The largest fraction taken off a delay at random, 0 to 1 (default 0.5).</summary>
    public double Jitter { get; init; } = 0.5;

    /// <summary>Attempts before the session gives up and ends; null retries until disposed (default).</summary>
    public int? MaximumAttempts { get; init; }
}
