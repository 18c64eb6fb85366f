namespace DeviceAgent.Mqtt.Client;

/// <summary>The delays of <see cref="MqttReconnectOptions"/>. Not thread-safe (one reconnect loop uses it).</summary>
public sealed class MqttBackoff(MqttReconnectOptions options, Random random)
{
    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 62);
        var ceiling = Math.Min(options.MaximumDelay.TotalMilliseconds, options.InitialDelay.TotalMilliseconds * Math.Pow(options.Multiplier, exponent));
        var jitter = Math.Clamp(options.Jitter, 0, 1) * random.NextDouble();
        return TimeSpan.FromMilliseconds(Math.Max(0, ceiling * (1 - jitter)));
    }
}
