using System.Text;
using System.Threading.Channels;
using DeviceAgent.Mqtt.Client;
using DeviceAgent.Mqtt.Tests.Peers;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.RealPeers;

/// <summary>
/// Real-peer tier: our client session against a real mosquitto broker (started per class on a
/// free port in a temp dir). The same contract runs over plain TCP and over TLS with client
/// certificates (require_certificate true).
/// </summary>
[Trait("Tier", "RealPeer")]
public abstract class MosquittoBrokerContract
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(15);

    internal abstract MosquittoBroker Broker { get; }

    private protected async Task<MqttClientSession> ConnectAsync(string clientId, TimeSpan? keepAlive = null, Func<Stream, Stream>? wrap = null)
    {
        var broker = Broker;
        return await MqttClientSession.ConnectAsync(async ct =>
        {
            var stream = await broker.ConnectAsync(ct);
            return wrap is null ? stream : wrap(stream);
        }, new MqttConnectOptions { ClientId = clientId, KeepAlive = keepAlive ?? TimeSpan.FromSeconds(30) });
    }

    private static string Prefix() => "it/" + Guid.NewGuid().ToString("N");

    private static MqttMessageHandler Into(Channel<MqttApplicationMessage> channel) => (m, ct) => channel.Writer.WriteAsync(m, ct);

    private static async Task<MqttApplicationMessage> NextAsync(Channel<MqttApplicationMessage> channel) => await channel.Reader.ReadAsync().AsTask().WaitAsync(s_patience);

    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task Publishes_and_receives_through_the_broker_at_each_qos(MqttQualityOfService qos)
    {
        var topic = Prefix() + "/telemetry";
        await using var subscriber = await ConnectAsync("sub-" + Guid.NewGuid().ToString("N")[..8]);
        await using var publisher = await ConnectAsync("pub-" + Guid.NewGuid().ToString("N")[..8]);
        var received = Channel.CreateUnbounded<MqttApplicationMessage>();
        Assert.Equal(qos, await subscriber.SubscribeAsync(topic, qos, Into(received)));

        for (var i = 0; i < 20; i++)
            await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes($"m{i}"), qos);

        for (var i = 0; i < 20; i++)
        {
            var message = await NextAsync(received);
            Assert.Equal(topic, message.Topic);
            Assert.Equal($"m{i}", Encoding.UTF8.GetString(message.Payload.Span)); // in order [MQTT-4.6.0]
            Assert.Equal(qos, message.QualityOfService);
        }
    }

    [Fact]
    public async Task Delivered_qos_is_the_lower_of_publish_and_subscription()
    {
        var topic = Prefix() + "/x";
        await using var session = await ConnectAsync("self-" + Guid.NewGuid().ToString("N")[..8]);
        var received = Channel.CreateUnbounded<MqttApplicationMessage>();
        await session.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce, Into(received));

        await session.PublishAsync(topic, "two"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await session.PublishAsync(topic, "zero"u8.ToArray(), MqttQualityOfService.AtMostOnce);

        Assert.Equal(MqttQualityOfService.AtLeastOnce, (await NextAsync(received)).QualityOfService);
        Assert.Equal(MqttQualityOfService.AtMostOnce, (await NextAsync(received)).QualityOfService);
    }

    [Fact]
    public async Task Retained_message_reaches_a_later_subscriber_and_an_empty_one_clears_it()
    {
        var topic = Prefix() + "/config";
        await using (var publisher = await ConnectAsync("ret-pub-" + Guid.NewGuid().ToString("N")[..8]))
            await publisher.PublishAsync(topic, "v1"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true);

        await using var subscriber = await ConnectAsync("ret-sub-" + Guid.NewGuid().ToString("N")[..8]);
        var received = Channel.CreateUnbounded<MqttApplicationMessage>();
        await subscriber.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce, Into(received));
        var retained = await NextAsync(received);
        Assert.True(retained.Retain);
        Assert.Equal("v1", Encoding.UTF8.GetString(retained.Payload.Span));

        await subscriber.PublishAsync(topic, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, retain: true);
        Assert.True((await NextAsync(received)).Payload.IsEmpty);
        await using var late = await ConnectAsync("ret-late-" + Guid.NewGuid().ToString("N")[..8]);
        var none = Channel.CreateUnbounded<MqttApplicationMessage>();
        await late.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce, Into(none));
        await late.PublishAsync(topic, "marker"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        Assert.Equal("marker", Encoding.UTF8.GetString((await NextAsync(none)).Payload.Span)); // nothing retained came first
    }

    [Fact]
    public async Task Wildcard_subscriptions_get_exactly_their_topics()
    {
        var prefix = Prefix();
        await using var session = await ConnectAsync("wild-" + Guid.NewGuid().ToString("N")[..8]);
        var plus = Channel.CreateUnbounded<MqttApplicationMessage>();
        var hash = Channel.CreateUnbounded<MqttApplicationMessage>();
        await session.SubscribeAsync($"{prefix}/+/status", MqttQualityOfService.AtLeastOnce, Into(plus));
        await session.SubscribeAsync($"{prefix}/dev-1/#", MqttQualityOfService.AtLeastOnce, Into(hash));

        foreach (var suffix in new[] { "dev-1/status", "dev-2/status", "dev-1/telemetry/temp", "dev-2/telemetry", "dev-1" })
            await session.PublishAsync($"{prefix}/{suffix}", Encoding.UTF8.GetBytes(suffix), MqttQualityOfService.AtLeastOnce);
        await session.PublishAsync($"{prefix}/end", default, MqttQualityOfService.AtLeastOnce);
        await session.SubscribeAsync($"{prefix}/end", MqttQualityOfService.AtLeastOnce, (_, _) => ValueTask.CompletedTask);

        Assert.Equal(["dev-1/status", "dev-2/status"], [Encoding.UTF8.GetString((await NextAsync(plus)).Payload.Span), Encoding.UTF8.GetString((await NextAsync(plus)).Payload.Span)]);
        Assert.Equal(["dev-1/status", "dev-1/telemetry/temp", "dev-1"],
            [Encoding.UTF8.GetString((await NextAsync(hash)).Payload.Span), Encoding.UTF8.GetString((await NextAsync(hash)).Payload.Span), Encoding.UTF8.GetString((await NextAsync(hash)).Payload.Span)]);
        Assert.False(plus.Reader.TryRead(out _));
        Assert.False(hash.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Keep_alive_pings_keep_an_idle_connection_open()
    {
        CountingStream? counting = null;
        await using var session = await ConnectAsync("idle-" + Guid.NewGuid().ToString("N")[..8], TimeSpan.FromSeconds(1), s => counting = new CountingStream(s));

        // mosquitto drops a client silent for 1.5 s; wait for two pings (at least 2 s of idling),
        // bounded, so that a loaded machine delays the test rather than failing it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (counting!.PingRequests < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(100);

        Assert.True(counting.PingRequests >= 2, $"{counting.PingRequests} PINGREQ sent in 15 s");
        Assert.True(session.IsConnected);
        Assert.Equal(1, session.ConnectionCount);
        var echo = Channel.CreateUnbounded<MqttApplicationMessage>();
        var topic = Prefix() + "/alive";
        await session.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce, Into(echo));
        await session.PublishAsync(topic, "still here"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        Assert.Equal("still here", Encoding.UTF8.GetString((await NextAsync(echo)).Payload.Span));
    }

    [Fact]
    public async Task Request_response_over_the_broker_the_way_DPS_answers()
    {
        await using var responder = await ConnectAsync("dps-" + Guid.NewGuid().ToString("N")[..8]);
        await using var device = await ConnectAsync("dev-" + Guid.NewGuid().ToString("N")[..8]);
        var scope = Prefix();
        await responder.SubscribeAsync($"{scope}/$dps/registrations/PUT/#", MqttQualityOfService.AtLeastOnce, async (m, ct) =>
        {
            var rid = MqttRequestResponse.QueryParameter("$rid")(m.Topic);
            await responder.PublishAsync($"{scope}/$dps/registrations/res/202/?$rid={rid}&retry-after=3", Encoding.UTF8.GetBytes($"{{\"operationId\":\"{rid}\"}}"), MqttQualityOfService.AtLeastOnce, cancellationToken: ct);
        });
        await using var rpc = await MqttRequestResponse.StartAsync(device, $"{scope}/$dps/registrations/res/#", MqttRequestResponse.QueryParameter("$rid"));

        var rid = rpc.NextRequestId();
        var response = await rpc.RequestAsync($"{scope}/$dps/registrations/PUT/iotdps-register/?$rid={rid}", rid, "{\"registrationId\":\"dev-1\"}"u8.ToArray(), s_patience);

        Assert.Equal($"{{\"operationId\":\"{rid}\"}}", Encoding.UTF8.GetString(response.Payload.Span));
    }
}

public sealed class MosquittoBrokerTcpTests(PlainMosquitto fixture) : MosquittoBrokerContract, IClassFixture<PlainMosquitto>
{
    internal override MosquittoBroker Broker => fixture.Broker;
}

public sealed class MosquittoBrokerTlsTests(TlsMosquitto fixture) : MosquittoBrokerContract, IClassFixture<TlsMosquitto>
{
    internal override MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task Broker_refuses_a_client_without_a_certificate()
    {
        // TLS 1.3 reports the refusal after the handshake: either way, one MqttException.
        await Assert.ThrowsAsync<MqttException>(() => MqttClientSession.ConnectAsync(
            async ct => await fixture.Broker.ConnectAsync(presentClientCertificate: false, ct),
            new MqttConnectOptions { ClientId = "anonymous", ConnectTimeout = TimeSpan.FromSeconds(10) }));
    }
}
