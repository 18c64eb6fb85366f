using DeviceAgent.Mqtt.Client;

namespace DeviceAgent.Mqtt.Tests.Client;

public sealed class MqttBackoffTests
{
    [Fact]
    public void Delays_grow_exponentially_up_to_the_maximum_without_jitter()
    {
        var backoff = new MqttBackoff(new MqttReconnectOptions { InitialDelay = TimeSpan.FromSeconds(1), MaximumDelay = TimeSpan.FromSeconds(30), Jitter = 0 }, new Random(1));

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 7).Select(a => backoff.Delay(a).TotalSeconds));
        Assert.Equal(30, backoff.Delay(10_000).TotalSeconds);
    }

    [Fact]
    public void Jitter_spreads_delays_below_the_ceiling_so_a_fleet_does_not_reconnect_in_lockstep()
    {
        var backoff = new MqttBackoff(new MqttReconnectOptions { InitialDelay = TimeSpan.FromSeconds(8), MaximumDelay = TimeSpan.FromSeconds(8), Jitter = 0.5 }, new Random(7));

        var delays = Enumerable.Range(0, 1000).Select(_ => backoff.Delay(1).TotalSeconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 4, 8));
        Assert.True(delays.Distinct().Count() > 900);
        Assert.InRange(delays.Average(), 5.5, 6.5);
    }
}
