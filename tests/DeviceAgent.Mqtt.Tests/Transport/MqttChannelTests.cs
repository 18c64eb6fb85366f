using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Tests.Support;
using DeviceAgent.Mqtt.Transport;

namespace DeviceAgent.Mqtt.Tests.Transport;

public sealed class MqttChannelTests
{
    [Fact]
    public async Task A_256_MB_remaining_length_claim_buffers_only_the_bytes_that_arrived()
    {
        var (client, server) = DuplexStream.CreatePair();
        await using var channel = new MqttChannel(server, MqttPacketReader.MaximumPacketSize, TimeProvider.System);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var receiving = channel.ReceiveAsync(CancellationToken.None).AsTask();
        await client.WriteAsync(Hex.Parse("30 FF FF FF 7F 0005 746F706963"));
        await client.WriteAsync(new byte[64 * 1024]);
        await client.DisposeAsync(); // the peer gives up long before 256 MB

        var error = await Assert.ThrowsAsync<MqttException>(() => receiving);
        Assert.Contains("closed in the middle of a packet", error.Message, StringComparison.Ordinal);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 16 * 1024 * 1024, $"{allocated:N0} bytes allocated for a 256 MB claim");
    }

    [Fact]
    public async Task The_default_limit_refuses_a_large_claim_from_its_header()
    {
        var (client, server) = DuplexStream.CreatePair();
        await using var channel = new MqttChannel(server, 1024 * 1024, TimeProvider.System);

        await client.WriteAsync(Hex.Parse("30 FF FF FF 7F"));

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => channel.ReceiveAsync(CancellationToken.None).AsTask());
        Assert.Equal("remaining length", error.Field);
        Assert.Equal("MQTT-2.2.3", error.Rule);
    }

    [Fact]
    public async Task Queued_sends_reach_the_wire_in_order()
    {
        var (client, server) = DuplexStream.CreatePair();
        var peer = new PacketPeer(server);
        await using var channel = new MqttChannel(client, 1024 * 1024, TimeProvider.System);

        for (ushort id = 1; id <= 2000; id++)
            channel.SendPublish("t", "x"u8, MqttQualityOfService.AtLeastOnce, false, false, id);

        for (ushort id = 1; id <= 2000; id++)
            Assert.Equal(id, (await peer.ReceiveAsync<MqttPublishPacket>()).PacketId);
    }

    [Fact]
    public async Task Sending_on_a_closed_channel_is_a_transport_error()
    {
        var (client, _) = DuplexStream.CreatePair();
        var channel = new MqttChannel(client, 1024, TimeProvider.System);
        await channel.DisposeAsync();

        var error = Assert.Throws<MqttException>(() => channel.Send(MqttPingReqPacket.Instance));
        Assert.IsNotType<MqttProtocolException>(error);
    }
}
