using System.Text;
using DeviceAgent.Provisioning.Tests.Support;
using DeviceAgent.Provisioning.Transport;
using MQTTnet.Exceptions;

namespace DeviceAgent.Provisioning.Tests.Transport;

/// <summary>
/// Client-side conformance of the device's MQTT session (MQTTnet's client over a stream we open),
/// against a byte-scripted server: keep-alive, QoS 1 acknowledgement, refusals, malformed input.
/// </summary>
public sealed class MqttSessionTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    private static MqttSessionOptions Options(TimeSpan? keepAlive = null) =>
        new() { ClientId = "device-1", UserName = "user", KeepAlive = keepAlive ?? TimeSpan.FromSeconds(60), ConnectTimeout = TimeSpan.FromSeconds(5) };

    private static async Task<(MqttSession Session, System.Net.Sockets.NetworkStream Server)> ConnectAsync(RawMqttPeer peer, MqttSessionOptions options)
    {
        var accepting = peer.AcceptAsync();
        var connecting = MqttSession.ConnectAsync(peer.ConnectAsync, options, CancellationToken.None);
        var server = await accepting.WaitAsync(s_patience);
        await server.WriteAsync(RawMqttPeer.ConnAck);
        return (await connecting.WaitAsync(s_patience), server);
    }

    [Fact]
    public async Task Connect_announces_client_id_user_name_clean_session_and_keep_alive_as_MQTT_3_1_1()
    {
        using var peer = new RawMqttPeer();
        var accepting = peer.AcceptConnectAsync();
        var connecting = MqttSession.ConnectAsync(peer.ConnectAsync, Options(TimeSpan.FromSeconds(30)) with { UserName = "scope/registrations/device-1/api-version=2019-03-31" }, CancellationToken.None);
        var (server, connect) = await accepting.WaitAsync(s_patience);
        await server.WriteAsync(RawMqttPeer.ConnAck);
        await using var session = await connecting.WaitAsync(s_patience);

        // 3.1.2: protocol name "MQTT", level 4; flags: user name (0x80) and clean session (0x02), no password [MQTT-3.1.2-22].
        Assert.Equal(new byte[] { 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x82, 0x00, 30 }, connect[..10]);
        var offset = 10;
        var clientId = ReadString(connect, ref offset);
        var userName = ReadString(connect, ref offset);
        Assert.Equal(("device-1", "scope/registrations/device-1/api-version=2019-03-31", connect.Length), (clientId, userName, offset));
    }

    private static string ReadString(byte[] data, ref int offset)
    {
        var length = (data[offset] << 8) | data[offset + 1];
        var value = Encoding.UTF8.GetString(data, offset + 2, length);
        offset += 2 + length;
        return value;
    }

    [Fact]
    public async Task Keep_alive_sends_PINGREQ_after_the_period_and_a_silent_server_ends_the_session_at_1_5x()
    {
        using var peer = new RawMqttPeer();
        var (session, server) = await ConnectAsync(peer, Options(TimeSpan.FromSeconds(2)));
        await using var _ = session;
        var connected = DateTimeOffset.UtcNow;

        var (type, body) = await RawMqttPeer.ReadPacketAsync(server).WaitAsync(s_patience);
        var pingAfter = DateTimeOffset.UtcNow - connected;

        Assert.Equal((0xC0, 0), (type, body.Length)); // PINGREQ [MQTT-3.1.2-23]
        Assert.InRange(pingAfter.TotalSeconds, 1.5, 3.0);
        var ended = await Assert.ThrowsAnyAsync<MqttCommunicationException>(() => session.Completion.WaitAsync(s_patience));
        var deadAfter = DateTimeOffset.UtcNow - connected;
        Assert.InRange(deadAfter.TotalSeconds, 2.5, 5.0);
        Assert.Contains("lost", ended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answered_PINGREQs_keep_the_session()
    {
        using var peer = new RawMqttPeer();
        var (session, server) = await ConnectAsync(peer, Options(TimeSpan.FromSeconds(1)));
        await using var _ = session;

        for (var i = 0; i < 3; i++)
        {
            var (type, _) = await RawMqttPeer.ReadPacketAsync(server).WaitAsync(s_patience);
            Assert.Equal(0xC0, type);
            await server.WriteAsync(new byte[] { 0xD0, 0x00 }); // PINGRESP
        }

        Assert.False(session.Completion.IsCompleted);
    }

    [Fact]
    public async Task Qos1_publish_completes_on_its_PUBACK_only()
    {
        using var peer = new RawMqttPeer();
        var (session, server) = await ConnectAsync(peer, Options());
        await using var _ = session;

        var publishing = session.PublishAsync("devices/d/messages/events/", "{}"u8.ToArray(), CancellationToken.None);
        var (type, body) = await RawMqttPeer.ReadPacketAsync(server).WaitAsync(s_patience);
        Assert.Equal(0x32, type); // PUBLISH, QoS 1, not DUP, not retained
        var topicLength = (body[0] << 8) | body[1];
        Assert.Equal("devices/d/messages/events/", Encoding.UTF8.GetString(body, 2, topicLength));
        await Task.Delay(200);
        Assert.False(publishing.IsCompleted, "the publish completed without its PUBACK");

        await server.WriteAsync(new byte[] { 0x40, 0x02, body[2 + topicLength], body[3 + topicLength] }); // PUBACK with its packet id

        await publishing.WaitAsync(s_patience);
    }

    [Fact]
    public async Task A_withheld_PUBACK_fails_the_publish_instead_of_pretending_delivery()
    {
        using var peer = new RawMqttPeer();
        var (session, server) = await ConnectAsync(peer, Options(TimeSpan.FromSeconds(2)));
        await using var _ = session;

        var publishing = session.PublishAsync("t", "x"u8.ToArray(), CancellationToken.None);
        var (type, _) = await RawMqttPeer.ReadPacketAsync(server).WaitAsync(s_patience);

        Assert.Equal(0x32, type);
        await Assert.ThrowsAnyAsync<MqttCommunicationException>(() => publishing.WaitAsync(s_patience));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 }, "reserved packet type 0")]
    [InlineData(new byte[] { 0x40, 0x05, 0x00 }, "remaining length longer than what follows, then EOF")]
    [InlineData(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "remaining length of five bytes [MQTT-2.2.3]")]
    public async Task Malformed_input_from_the_server_ends_the_session_with_a_transport_fault(byte[] garbage, string description)
    {
        using var peer = new RawMqttPeer();
        var (session, server) = await ConnectAsync(peer, Options());
        await using var _ = session;

        await server.WriteAsync(garbage);
        server.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        var e = await Assert.ThrowsAnyAsync<MqttCommunicationException>(() => session.Completion.WaitAsync(s_patience));
        Assert.False(string.IsNullOrEmpty(e.Message), description);
    }

    [Theory]
    [InlineData(0x01, MQTTnet.MqttClientConnectResultCode.UnsupportedProtocolVersion, false)]
    [InlineData(0x03, MQTTnet.MqttClientConnectResultCode.ServerUnavailable, true)]
    [InlineData(0x05, MQTTnet.MqttClientConnectResultCode.NotAuthorized, false)]
    public async Task A_refused_CONNECT_says_which_code_and_whether_to_retry(byte returnCode, MQTTnet.MqttClientConnectResultCode expected, bool transient)
    {
        using var peer = new RawMqttPeer();
        var accepting = peer.AcceptAsync();
        var connecting = MqttSession.ConnectAsync(peer.ConnectAsync, Options(), CancellationToken.None);
        var server = await accepting.WaitAsync(s_patience);
        await server.WriteAsync(new byte[] { 0x20, 0x02, 0x00, returnCode });

        var e = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => connecting.WaitAsync(s_patience));

        Assert.Equal((expected, transient), (e.ResultCode, e.IsTransient));
    }

    [Fact]
    public async Task A_server_that_answers_CONNECT_with_something_else_is_a_transport_fault()
    {
        using var peer = new RawMqttPeer();
        var accepting = peer.AcceptAsync();
        var connecting = MqttSession.ConnectAsync(peer.ConnectAsync, Options(), CancellationToken.None);
        var server = await accepting.WaitAsync(s_patience);
        await server.WriteAsync(new byte[] { 0xD0, 0x00 }); // PINGRESP instead of CONNACK

        await Assert.ThrowsAnyAsync<MqttCommunicationException>(() => connecting.WaitAsync(s_patience));
    }

    [Fact]
    public async Task What_the_stream_opener_throws_surfaces_as_it_is()
    {
        var e = await Assert.ThrowsAsync<IOException>(() => MqttSession.ConnectAsync(_ => throw new IOException("tls said no"), Options(), CancellationToken.None));

        Assert.Equal("tls said no", e.Message);
    }

    [Fact]
    public async Task Dispose_sends_DISCONNECT_and_completes_normally()
    {
        using var peer = new RawMqttPeer();
        var (session, server) = await ConnectAsync(peer, Options());

        await session.DisposeAsync();

        var (type, _) = await RawMqttPeer.ReadPacketAsync(server).WaitAsync(s_patience);
        Assert.Equal(0xE0, type); // DISCONNECT
        await session.Completion.WaitAsync(s_patience);
    }
}
