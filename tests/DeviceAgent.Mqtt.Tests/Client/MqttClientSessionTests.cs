using System.Text;
using System.Threading.Channels;
using DeviceAgent.Mqtt.Client;
using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Client;

/// <summary>The client session against a scripted server over an in-memory connection.</summary>
public sealed class MqttClientSessionTests
{
    private static MqttConnectOptions Options(TimeProvider? time = null, TimeSpan? keepAlive = null, bool cleanSession = true) => new()
    {
        ClientId = "dev-1",
        UserName = "scope/registrations/dev-1/api-version=2019-03-31",
        KeepAlive = keepAlive ?? TimeSpan.Zero,
        CleanSession = cleanSession,
        TimeProvider = time ?? TimeProvider.System,
        Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaximumDelay = TimeSpan.FromMilliseconds(20) },
    };

    private static async Task<(MqttClientSession Session, PacketPeer Server)> ConnectAsync(MqttConnectOptions options, bool sessionPresent = false)
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(server);
        var accepting = peer.AcceptAsync(sessionPresent);
        var session = await MqttClientSession.ConnectAsync(client, options);
        await accepting;
        return (session, peer);
    }

    [Fact]
    public async Task Connect_sends_the_options_and_reports_the_session_present_flag()
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(server);
        var connecting = MqttClientSession.ConnectAsync(client, Options(keepAlive: TimeSpan.FromSeconds(30), cleanSession: false));

        var connect = await peer.ReceiveAsync<MqttConnectPacket>();
        await peer.SendAsync("20 02 01 00");
        await using var session = await connecting;

        Assert.Equal("dev-1", connect.ClientId);
        Assert.Equal("scope/registrations/dev-1/api-version=2019-03-31", connect.UserName);
        Assert.Equal(30, connect.KeepAliveSeconds);
        Assert.False(connect.CleanSession);
        Assert.True(session.SessionPresent);
        Assert.True(session.IsConnected);
        Assert.Equal(1, session.ConnectionCount);
    }

    [Theory]
    [InlineData(1, "does not support MQTT 3.1.1")]
    [InlineData(2, "client identifier rejected")]
    [InlineData(3, "unavailable")]
    [InlineData(4, "bad user name or password")]
    [InlineData(5, "not authorized")]
    [InlineData(6, "reserved return code 0x06")]
    public async Task Refused_connect_is_a_clear_error_per_return_code(byte code, string expected)
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(server);
        var connecting = MqttClientSession.ConnectAsync(client, Options());
        await peer.ReceiveAsync<MqttConnectPacket>();
        await peer.SendAsync(new MqttConnAckPacket((MqttConnectReturnCode)code));

        var error = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => connecting);

        Assert.Equal((MqttConnectReturnCode)code, error.ReturnCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        await peer.ExpectClosedAsync();
    }

    [Fact]
    public async Task A_server_that_answers_connect_with_something_else_breaks_the_protocol()
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(server);
        var connecting = MqttClientSession.ConnectAsync(client, Options());
        await peer.ReceiveAsync<MqttConnectPacket>();
        await peer.SendAsync("D0 00");

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => connecting);
        Assert.Equal("MQTT-3.2.0-1", error.Rule);
    }

    [Fact]
    public async Task Qos0_publish_is_sent_and_completes_without_acknowledgment()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;

        await session.PublishAsync("devices/dev-1/messages/events/", "hi"u8.ToArray());

        var publish = await peer.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("devices/dev-1/messages/events/", publish.Topic);
        Assert.Equal(MqttQualityOfService.AtMostOnce, publish.QualityOfService);
        Assert.Equal("hi", Encoding.UTF8.GetString(publish.Payload.Span));
    }

    [Fact]
    public async Task Qos1_publish_completes_on_its_puback_only()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;

        var first = session.PublishAsync("t/1", "a"u8.ToArray(), MqttQualityOfService.AtLeastOnce).AsTask();
        var second = session.PublishAsync("t/2", "b"u8.ToArray(), MqttQualityOfService.AtLeastOnce).AsTask();
        var p1 = await peer.ReceiveAsync<MqttPublishPacket>();
        var p2 = await peer.ReceiveAsync<MqttPublishPacket>();
        Assert.NotEqual(p1.PacketId, p2.PacketId);

        await peer.SendAsync(new MqttPubAckPacket(p2.PacketId));
        await second;
        Assert.False(first.IsCompleted);

        await peer.SendAsync(new MqttPubAckPacket(p1.PacketId));
        await first;
    }

    [Fact]
    public async Task Qos2_publish_goes_through_pubrec_pubrel_pubcomp()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;

        var publishing = session.PublishAsync("t", "x"u8.ToArray(), MqttQualityOfService.ExactlyOnce).AsTask();
        var publish = await peer.ReceiveAsync<MqttPublishPacket>();
        await peer.SendAsync(new MqttPubRecPacket(publish.PacketId));
        var release = await peer.ReceiveAsync<MqttPubRelPacket>();
        Assert.Equal(publish.PacketId, release.PacketId);
        Assert.False(publishing.IsCompleted);
        await peer.SendAsync(new MqttPubCompPacket(publish.PacketId));
        await publishing;
    }

    [Fact]
    public async Task Invalid_topic_fails_before_anything_is_sent()
    {
        var (session, _) = await ConnectAsync(Options());
        await using var __ = session;

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => session.PublishAsync("a/#", default).AsTask());
        Assert.Equal("MQTT-3.3.2-2", error.Rule);
        var filterError = await Assert.ThrowsAsync<MqttProtocolException>(() => session.SubscribeAsync("a/b#", MqttQualityOfService.AtLeastOnce, (_, _) => ValueTask.CompletedTask));
        Assert.Equal("MQTT-4.7.1-2", filterError.Rule);
    }

    [Fact]
    public async Task Subscription_handler_gets_its_messages_and_qos1_is_acknowledged_after_the_handler()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;
        var received = Channel.CreateUnbounded<MqttApplicationMessage>();
        var release = new TaskCompletionSource();

        var subscribing = session.SubscribeAsync("$dps/registrations/res/#", MqttQualityOfService.AtLeastOnce, async (m, ct) =>
        {
            await release.Task;
            received.Writer.TryWrite(m);
        });
        var subscribe = await peer.ReceiveAsync<MqttSubscribePacket>();
        Assert.Equal(new MqttTopicFilter("$dps/registrations/res/#", MqttQualityOfService.AtLeastOnce), Assert.Single(subscribe.Filters));
        await peer.SendAsync(new MqttSubAckPacket(subscribe.PacketId, [MqttSubscribeReturnCode.GrantedQoS1]));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, await subscribing);

        await peer.SendAsync(new MqttPublishPacket("$dps/registrations/res/202/?$rid=1", "{}"u8.ToArray()) { QualityOfService = MqttQualityOfService.AtLeastOnce, PacketId = 77 });
        await peer.SendAsync(new MqttPublishPacket("other/topic", "x"u8.ToArray()));
        await peer.SendAsync("D0 00"); // the reader goes on while the handler waits
        release.SetResult();

        var message = await received.Reader.ReadAsync();
        Assert.Equal("$dps/registrations/res/202/?$rid=1", message.Topic);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, message.QualityOfService);
        Assert.Equal(77, (await peer.ReceiveAsync<MqttPubAckPacket>()).PacketId);
    }

    [Fact]
    public async Task Qos2_message_is_delivered_once_even_when_the_server_sends_it_again()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;
        var count = 0;
        var subscribing = session.SubscribeAsync("q2", MqttQualityOfService.ExactlyOnce, (m, ct) => { Interlocked.Increment(ref count); return ValueTask.CompletedTask; });
        var subscribe = await peer.ReceiveAsync<MqttSubscribePacket>();
        await peer.SendAsync(new MqttSubAckPacket(subscribe.PacketId, [MqttSubscribeReturnCode.GrantedQoS2]));
        await subscribing;

        var publish = new MqttPublishPacket("q2", "once"u8.ToArray()) { QualityOfService = MqttQualityOfService.ExactlyOnce, PacketId = 5 };
        await peer.SendAsync(publish);
        Assert.Equal(5, (await peer.ReceiveAsync<MqttPubRecPacket>()).PacketId);
        await peer.SendAsync(new MqttPublishPacket("q2", "once"u8.ToArray()) { QualityOfService = MqttQualityOfService.ExactlyOnce, PacketId = 5, Duplicate = true });
        Assert.Equal(5, (await peer.ReceiveAsync<MqttPubRecPacket>()).PacketId);
        await peer.SendAsync(new MqttPubRelPacket(5));
        Assert.Equal(5, (await peer.ReceiveAsync<MqttPubCompPacket>()).PacketId);

        await Eventually.TrueAsync(() => Volatile.Read(ref count) == 1, "one delivery");
        await peer.SendAsync(new MqttPublishPacket("q2", "again"u8.ToArray()) { QualityOfService = MqttQualityOfService.ExactlyOnce, PacketId = 5 });
        Assert.Equal(5, (await peer.ReceiveAsync<MqttPubRecPacket>()).PacketId);
        await Eventually.TrueAsync(() => Volatile.Read(ref count) == 2, "a new message with the released id is delivered");
    }

    [Fact]
    public async Task Refused_subscription_is_an_error()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;

        var subscribing = session.SubscribeAsync("forbidden/#", MqttQualityOfService.AtLeastOnce, (_, _) => ValueTask.CompletedTask);
        var subscribe = await peer.ReceiveAsync<MqttSubscribePacket>();
        await peer.SendAsync(new MqttSubAckPacket(subscribe.PacketId, [MqttSubscribeReturnCode.Failure]));

        var error = await Assert.ThrowsAsync<MqttException>(() => subscribing);
        Assert.Contains("refused the subscription to 'forbidden/#'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsubscribe_waits_for_unsuback()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;

        var unsubscribing = session.UnsubscribeAsync("a/+");
        var unsubscribe = await peer.ReceiveAsync<MqttUnsubscribePacket>();
        Assert.Equal(["a/+"], unsubscribe.Filters);
        Assert.False(unsubscribing.IsCompleted);
        await peer.SendAsync(new MqttUnsubAckPacket(unsubscribe.PacketId));
        await unsubscribing;
    }

    [Fact]
    public async Task Keep_alive_sends_PINGREQ_and_declares_a_silent_server_dead_at_1_5x_keep_alive()
    {
        var time = new FakeTimeProvider();
        var (session, peer) = await ConnectAsync(Options(time, TimeSpan.FromSeconds(10)));
        await using var _ = session;
        await Eventually.TrueAsync(() => time.ArmedTimers == 1, "keep-alive timer");

        time.Advance(TimeSpan.FromSeconds(10));
        await peer.ReceiveAsync<MqttPingReqPacket>();
        await Eventually.TrueAsync(() => time.ArmedTimers == 1, "keep-alive timer");
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(session.IsConnected);
        Assert.False(session.Completion.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(0.1));

        var error = await Assert.ThrowsAsync<MqttException>(() => session.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("keep-alive 10 s", error.Message, StringComparison.Ordinal);
        await peer.ExpectClosedAsync();
    }

    [Fact]
    public async Task Keep_alive_answered_keeps_the_connection()
    {
        var time = new FakeTimeProvider();
        var (session, peer) = await ConnectAsync(Options(time, TimeSpan.FromSeconds(10)));
        await using var _ = session;

        for (var round = 0; round < 5; round++)
        {
            await Eventually.TrueAsync(() => time.ArmedTimers == 1, "keep-alive timer");
            time.Advance(TimeSpan.FromSeconds(10));
            await peer.ReceiveAsync<MqttPingReqPacket>();
            await peer.SendAsync(MqttPingRespPacket.Instance);
            await Eventually.TrueAsync(() => session.LastReceived == time.GetTimestamp(), "PINGRESP received");
        }

        Assert.True(session.IsConnected);
        Assert.False(session.Completion.IsCompleted);
    }

    [Fact]
    public async Task Lost_connection_without_a_factory_ends_the_session_and_fails_what_is_pending()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;
        var publishing = session.PublishAsync("t", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce).AsTask();
        await peer.ReceiveAsync<MqttPublishPacket>();

        await peer.DisposeAsync();

        await Assert.ThrowsAsync<MqttException>(() => publishing);
        await Assert.ThrowsAsync<MqttException>(() => session.Completion);
        Assert.False(session.IsConnected);
    }

    [Fact]
    public async Task Reconnect_retransmits_unacknowledged_publishes_with_DUP_in_order_and_resumes()
    {
        var servers = Channel.CreateUnbounded<PacketPeer>();
        ValueTask<Stream> Connect(CancellationToken ct)
        {
            var (client, server) = DuplexStream.CreatePair();
            servers.Writer.TryWrite(new PacketPeer(server));
            return ValueTask.FromResult<Stream>(client);
        }
        var connecting = MqttClientSession.ConnectAsync(Connect, Options(cleanSession: false));
        var first = await servers.Reader.ReadAsync();
        await first.AcceptAsync();
        await using var session = await connecting;

        var a = session.PublishAsync("t/a", "1"u8.ToArray(), MqttQualityOfService.AtLeastOnce).AsTask();
        var b = session.PublishAsync("t/b", "2"u8.ToArray(), MqttQualityOfService.AtLeastOnce).AsTask();
        var sentA = await first.ReceiveAsync<MqttPublishPacket>();
        var sentB = await first.ReceiveAsync<MqttPublishPacket>();
        await first.DisposeAsync(); // the network goes away before any PUBACK

        var second = await servers.Reader.ReadAsync();
        var connect = await second.AcceptAsync(sessionPresent: true);
        Assert.False(connect.CleanSession);
        var againA = await second.ReceiveRawAsync();
        var againB = await second.ReceiveRawAsync();

        Assert.Equal(0x3A, againA[0]); // PUBLISH, DUP, QoS 1 [MQTT-3.3.1-1]
        Assert.Equal(0x3A, againB[0]);
        Assert.True(MqttPacketReader.TryDecode(againA, 1 << 20, out var decodedA, out _));
        Assert.Equal(sentA.PacketId, ((MqttPublishPacket)decodedA).PacketId);
        Assert.Equal("t/a", ((MqttPublishPacket)decodedA).Topic);
        Assert.False(a.IsCompleted);

        await second.SendAsync(new MqttPubAckPacket(sentA.PacketId));
        await second.SendAsync(new MqttPubAckPacket(sentB.PacketId));
        await Task.WhenAll(a, b);
        Assert.Equal(2, session.ConnectionCount);

        await session.PublishAsync("t/c", "3"u8.ToArray());
        Assert.Equal("t/c", (await second.ReceiveAsync<MqttPublishPacket>()).Topic);
    }

    [Fact]
    public async Task Reconnect_to_a_server_that_lost_the_session_subscribes_again()
    {
        var servers = Channel.CreateUnbounded<PacketPeer>();
        ValueTask<Stream> Connect(CancellationToken ct)
        {
            var (client, server) = DuplexStream.CreatePair();
            servers.Writer.TryWrite(new PacketPeer(server));
            return ValueTask.FromResult<Stream>(client);
        }
        var connecting = MqttClientSession.ConnectAsync(Connect, Options());
        var first = await servers.Reader.ReadAsync();
        await first.AcceptAsync();
        await using var session = await connecting;
        var subscribing = session.SubscribeAsync("$dps/registrations/res/#", MqttQualityOfService.AtLeastOnce, (_, _) => ValueTask.CompletedTask);
        var subscribe = await first.ReceiveAsync<MqttSubscribePacket>();
        await first.SendAsync(new MqttSubAckPacket(subscribe.PacketId, [MqttSubscribeReturnCode.GrantedQoS1]));
        await subscribing;

        await first.DisposeAsync();
        var second = await servers.Reader.ReadAsync();
        await second.AcceptAsync(sessionPresent: false);
        var again = await second.ReceiveAsync<MqttSubscribePacket>();
        Assert.Equal("$dps/registrations/res/#", Assert.Single(again.Filters).Filter);
        var publishing = session.PublishAsync("x", default).AsTask();
        Assert.False(publishing.IsCompleted); // operations wait until the session is whole again
        await second.SendAsync(new MqttSubAckPacket(again.PacketId, [MqttSubscribeReturnCode.GrantedQoS1]));
        await publishing;
        Assert.Equal("x", (await second.ReceiveAsync<MqttPublishPacket>()).Topic);
    }

    [Fact]
    public async Task Reconnection_gives_up_after_the_maximum_attempts_and_says_why()
    {
        var attempts = 0;
        var (firstClient, firstServer) = DuplexStream.CreatePair();
        ValueTask<Stream> Connect(CancellationToken ct) => Interlocked.Increment(ref attempts) == 1
            ? ValueTask.FromResult<Stream>(firstClient)
            : ValueTask.FromException<Stream>(new IOException("connection refused"));
        var peer = new PacketPeer(firstServer);
        var accepting = peer.AcceptAsync();
        var options = new MqttConnectOptions
        {
            ClientId = "dev-1",
            KeepAlive = TimeSpan.Zero,
            Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(1), MaximumDelay = TimeSpan.FromMilliseconds(2), MaximumAttempts = 3 },
        };
        await using var session = await MqttClientSession.ConnectAsync(Connect, options);
        await accepting;

        await peer.DisposeAsync();

        var error = await Assert.ThrowsAsync<MqttException>(() => session.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("3 reconnection attempts failed; last: connection refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task A_server_that_accepts_and_drops_at_once_is_retried_with_growing_delays_not_in_a_storm()
    {
        var time = new FakeTimeProvider();
        var attempts = Channel.CreateUnbounded<TimeSpan>();
        ValueTask<Stream> Connect(CancellationToken ct)
        {
            var (client, server) = DuplexStream.CreatePair();
            attempts.Writer.TryWrite(TimeSpan.FromTicks(time.GetTimestamp()));
            _ = Task.Run(async () =>
            {
                await using var peer = new PacketPeer(server);
                await peer.AcceptAsync(); // then gone
            }, ct);
            return ValueTask.FromResult<Stream>(client);
        }
        await using var session = await MqttClientSession.ConnectAsync(Connect, new MqttConnectOptions
        {
            ClientId = "dev-1",
            KeepAlive = TimeSpan.Zero,
            TimeProvider = time,
            Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromSeconds(1), MaximumDelay = TimeSpan.FromSeconds(8), Jitter = 0 },
        });
        Assert.Equal(TimeSpan.Zero, await attempts.Reader.ReadAsync());

        var seen = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await Eventually.TrueAsync(() => time.ArmedTimers == 1, "the reconnect loop waits for its delay");
            time.AdvanceToNextTimer();
            seen.Add((await attempts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).TotalSeconds);
        }

        Assert.Equal([1, 3, 7, 15, 23], seen); // delays 1, 2, 4, 8, 8 s
    }

    [Fact]
    public async Task Dispose_sends_DISCONNECT_closes_and_fails_pending_operations()
    {
        var (session, peer) = await ConnectAsync(Options());
        var publishing = session.PublishAsync("t", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce).AsTask();
        await peer.ReceiveAsync<MqttPublishPacket>();

        await session.DisposeAsync();

        await peer.ReceiveAsync<MqttDisconnectPacket>();
        await peer.ExpectClosedAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => publishing);
        await session.Completion;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => session.PublishAsync("t", default).AsTask());
    }

    [Fact]
    public async Task Cancelled_publish_frees_its_packet_identifier()
    {
        var (session, peer) = await ConnectAsync(Options());
        await using var _ = session;
        using var cancel = new CancellationTokenSource();

        var publishing = session.PublishAsync("t", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce, cancellationToken: cancel.Token).AsTask();
        var sent = await peer.ReceiveAsync<MqttPublishPacket>();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publishing);
        await peer.SendAsync(new MqttPubAckPacket(sent.PacketId)); // late: ignored
        await session.PublishAsync("t2", default);
        Assert.Equal("t2", (await peer.ReceiveAsync<MqttPublishPacket>()).Topic);
    }

    [Fact]
    public async Task A_handler_that_throws_ends_the_session()
    {
        var (session, peer) = await ConnectAsync(new MqttConnectOptions
        {
            ClientId = "dev-1",
            KeepAlive = TimeSpan.Zero,
            MessageReceived = (m, ct) => throw new FormatException("bad json"),
        });
        await using var _ = session;

        await peer.SendAsync(new MqttPublishPacket("x", default));

        var error = await Assert.ThrowsAsync<MqttException>(() => session.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsType<FormatException>(error.InnerException);
        await peer.ExpectClosedAsync();
    }
}
