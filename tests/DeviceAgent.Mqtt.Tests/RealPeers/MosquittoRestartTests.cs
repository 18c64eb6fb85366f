using System.Text;
using System.Threading.Channels;
using DeviceAgent.Mqtt.Client;
using DeviceAgent.Mqtt.Tests.Peers;

namespace DeviceAgent.Mqtt.Tests.RealPeers;

/// <summary>Real-peer tier: the broker goes away and comes back; persistent sessions reconnect and nothing is lost.</summary>
[Trait("Tier", "RealPeer")]
public sealed class MosquittoRestartTests
{
    [Fact]
    public async Task Sessions_reconnect_after_a_broker_restart_and_a_qos1_message_sent_meanwhile_arrives()
    {
        await using var broker = await MosquittoBroker.StartAsync(persistence: true);
        var topic = "restart/" + Guid.NewGuid().ToString("N");
        MqttConnectOptions Options(string id) => new()
        {
            ClientId = id,
            CleanSession = false,
            KeepAlive = TimeSpan.FromSeconds(5),
            Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaximumDelay = TimeSpan.FromMilliseconds(400) },
        };
        var received = Channel.CreateUnbounded<MqttApplicationMessage>();
        await using var subscriber = await MqttClientSession.ConnectAsync(broker.ConnectAsync, Options("restart-sub"));
        await using var publisher = await MqttClientSession.ConnectAsync(broker.ConnectAsync, Options("restart-pub"));
        await subscriber.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce, (m, ct) => received.Writer.WriteAsync(m, ct));
        await publisher.PublishAsync(topic, "before"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        Assert.Equal("before", Encoding.UTF8.GetString((await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Payload.Span));

        await broker.StopAsync();
        await Support.Eventually.TrueAsync(() => !subscriber.IsConnected && !publisher.IsConnected, "both sessions notice the broker is gone");
        var during = publisher.PublishAsync(topic, "during"u8.ToArray(), MqttQualityOfService.AtLeastOnce).AsTask();
        await Task.Delay(300); // a few refused reconnection attempts
        Assert.False(during.IsCompleted);
        await broker.RestartAsync();

        await during.WaitAsync(TimeSpan.FromSeconds(20));
        var message = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("during", Encoding.UTF8.GetString(message.Payload.Span));
        Assert.True(subscriber.SessionPresent, "the broker kept the persistent session across its restart");
        Assert.True(subscriber.ConnectionCount >= 2);
        Assert.True(publisher.ConnectionCount >= 2);
        Assert.False(subscriber.Completion.IsCompleted);
    }
}
