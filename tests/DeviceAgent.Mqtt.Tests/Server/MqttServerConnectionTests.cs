using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Server;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Server;

public sealed class MqttServerConnectionTests
{
    private static async Task<(MqttServerConnection Connection, PacketPeer Client)> AcceptAsync(string connectHex = "10 0E 0004 4D515454 04 02 0002 0002 6964", MqttServerOptions? options = null)
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(client);
        await peer.SendAsync(connectHex);
        var connection = await MqttServerConnection.AcceptAsync(server, options);
        await connection.SendConnAckAsync(MqttConnectReturnCode.Accepted);
        Assert.Equal(MqttConnectReturnCode.Accepted, (await peer.ReceiveAsync<MqttConnAckPacket>()).ReturnCode);
        return (connection, peer);
    }

    [Fact]
    public async Task Host_sees_the_connect_and_may_refuse_it_with_a_code()
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(client);
        await peer.SendAsync(new MqttConnectPacket("dev-1") { UserName = "scope/registrations/dev-1/api-version=2019-03-31" });

        await using var connection = await MqttServerConnection.AcceptAsync(server);
        Assert.Equal("dev-1", connection.ClientId);
        Assert.Equal("scope/registrations/dev-1/api-version=2019-03-31", connection.Connect.UserName);
        await connection.SendConnAckAsync(MqttConnectReturnCode.NotAuthorized);

        Assert.Equal(MqttConnectReturnCode.NotAuthorized, (await peer.ReceiveAsync<MqttConnAckPacket>()).ReturnCode);
        await peer.ExpectClosedAsync();
        await connection.Completion;
    }

    [Theory]
    [InlineData("10 0D 0004 4D515454 03 02 000A 0001 70", "20020001")]   // level 3: 0x01 [MQTT-3.1.2-2]
    [InlineData("10 0C 0004 4D515454 04 00 000A 0000", "20020002")]      // empty id without clean session: 0x02 [MQTT-3.1.3-8]
    public async Task A_connect_the_specification_refuses_with_a_code_gets_that_code(string connect, string connack)
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(client);
        await peer.SendAsync(connect);

        await Assert.ThrowsAsync<MqttProtocolException>(() => MqttServerConnection.AcceptAsync(server));

        Assert.Equal(connack, Hex.Format(await peer.ReceiveRawAsync()));
        await peer.ExpectClosedAsync();
    }

    [Fact]
    public async Task First_packet_must_be_connect()
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(client);
        await peer.SendAsync("C0 00");

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => MqttServerConnection.AcceptAsync(server));

        Assert.Equal("MQTT-3.1.0-1", error.Rule);
        await peer.ExpectClosedAsync();
    }

    [Fact]
    public async Task Qos1_publish_is_acknowledged_and_delivered_pingreq_answered_disconnect_ends()
    {
        var (connection, peer) = await AcceptAsync();
        await using var _ = connection;

        await peer.SendAsync(new MqttPublishPacket("$dps/registrations/PUT/iotdps-register/?$rid=1", "{}"u8.ToArray()) { QualityOfService = MqttQualityOfService.AtLeastOnce, PacketId = 3 });
        await peer.SendAsync(MqttPingReqPacket.Instance);

        var publish = Assert.IsType<MqttPublishPacket>(await connection.ReceiveAsync());
        Assert.Equal("$dps/registrations/PUT/iotdps-register/?$rid=1", publish.Topic);
        Assert.Equal(3, (await peer.ReceiveAsync<MqttPubAckPacket>()).PacketId);
        await peer.ReceiveAsync<MqttPingRespPacket>();

        await peer.SendAsync(MqttDisconnectPacket.Instance);
        Assert.Null(await connection.ReceiveAsync());
        await connection.Completion;
        await peer.ExpectClosedAsync();
    }

    [Fact]
    public async Task Host_publishes_qos1_and_the_task_completes_on_puback()
    {
        var (connection, peer) = await AcceptAsync();
        await using var _ = connection;

        var publishing = connection.PublishAsync("$dps/registrations/res/202/?$rid=1&retry-after=3", "{}"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        var publish = await peer.ReceiveAsync<MqttPublishPacket>();
        Assert.False(publishing.IsCompleted);
        await peer.SendAsync(new MqttPubAckPacket(publish.PacketId));
        await publishing;
    }

    [Fact]
    public async Task Subscribe_goes_to_the_host_which_answers_with_suback()
    {
        var (connection, peer) = await AcceptAsync();
        await using var _ = connection;

        await peer.SendAsync(new MqttSubscribePacket(9, [new MqttTopicFilter("$dps/registrations/res/#", MqttQualityOfService.AtLeastOnce)]));
        var subscribe = Assert.IsType<MqttSubscribePacket>(await connection.ReceiveAsync());
        await connection.SendAsync(new MqttSubAckPacket(subscribe.PacketId, [MqttSubscribeReturnCode.GrantedQoS1]));

        var ack = await peer.ReceiveAsync<MqttSubAckPacket>();
        Assert.Equal(9, ack.PacketId);
    }

    [Fact]
    public async Task A_second_connect_closes_the_connection()
    {
        var (connection, peer) = await AcceptAsync();
        await using var _ = connection;

        await peer.SendAsync("10 0E 0004 4D515454 04 02 0002 0002 6964");

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => connection.ReceiveAsync().AsTask());
        Assert.Equal("MQTT-3.1.0-2", error.Rule);
        await peer.ExpectClosedAsync();
    }

    [Fact]
    public async Task Client_silent_for_1_5x_its_keep_alive_is_disconnected()
    {
        var time = new FakeTimeProvider();
        // keep-alive 2 s
        var (connection, peer) = await AcceptAsync("10 0E 0004 4D515454 04 02 0002 0002 6964", new MqttServerOptions { TimeProvider = time });
        await using var _ = connection;
        await Eventually.TrueAsync(() => time.ArmedTimers == 1, "keep-alive timer");

        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(connection.Completion.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        var error = await Assert.ThrowsAsync<MqttException>(() => connection.ReceiveAsync().AsTask());
        Assert.Contains("[MQTT-3.1.2-24]", error.Message, StringComparison.Ordinal);
        await peer.ExpectClosedAsync();
    }

    [Fact]
    public async Task Abrupt_close_is_reported_to_the_host()
    {
        var (connection, peer) = await AcceptAsync();
        await using var _ = connection;

        await peer.DisposeAsync();

        var error = await Assert.ThrowsAsync<MqttException>(() => connection.ReceiveAsync().AsTask());
        Assert.Contains("without DISCONNECT", error.Message, StringComparison.Ordinal);
    }
}
