using System.Buffers;
using System.Text;
using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Codec;

public sealed class MqttPacketWriterTests
{
    public static TheoryData<string, Func<MqttPacket>, string> Invalid() => new()
    {
        // description, packet, rule
        { "PUBLISH to a topic with +", () => new MqttPublishPacket("a/+", default), "MQTT-3.3.2-2" },
        { "PUBLISH to an empty topic", () => new MqttPublishPacket("", default), "MQTT-4.7.3-1" },
        { "PUBLISH to a topic with U+0000", () => new MqttPublishPacket("a\0", default), "MQTT-1.5.3-2" },
        { "PUBLISH to a topic with an unpaired surrogate", () => new MqttPublishPacket("a\uD800", default), "MQTT-1.5.3-1" },
        { "PUBLISH to a topic longer than 65,535 bytes", () => new MqttPublishPacket(new string('a', 65_536), default), "MQTT-1.5.3" },
        { "PUBLISH QoS 1 without packet id", () => new MqttPublishPacket("t", default) { QualityOfService = MqttQualityOfService.AtLeastOnce }, "MQTT-2.3.1-1" },
        { "PUBLISH QoS 0 with packet id", () => new MqttPublishPacket("t", default) { PacketId = 3 }, "MQTT-2.3.1-5" },
        { "PUBLISH QoS 0 with DUP", () => new MqttPublishPacket("t", default) { Duplicate = true }, "MQTT-3.3.1-2" },
        { "PUBLISH QoS 3", () => new MqttPublishPacket("t", default) { QualityOfService = (MqttQualityOfService)3, PacketId = 1 }, "MQTT-3.3.1-4" },
        { "CONNECT password without user name", () => new MqttConnectPacket("c") { Password = new byte[] { 1 } }, "MQTT-3.1.2-22" },
        { "CONNECT empty client id without clean session", () => new MqttConnectPacket("") { CleanSession = false }, "MQTT-3.1.3-7" },
        { "CONNECT will topic with #", () => new MqttConnectPacket("c") { Will = new MqttWill("a/#", default) }, "MQTT-3.3.2-2" },
        { "CONNACK session present with a refusal", () => new MqttConnAckPacket(MqttConnectReturnCode.NotAuthorized, true), "MQTT-3.2.2-4" },
        { "SUBSCRIBE without filters", () => new MqttSubscribePacket(1, []), "MQTT-3.8.3-3" },
        { "SUBSCRIBE to a#", () => new MqttSubscribePacket(1, [new MqttTopicFilter("a#", MqttQualityOfService.AtMostOnce)]), "MQTT-4.7.1-2" },
        { "SUBSCRIBE to a/b+", () => new MqttSubscribePacket(1, [new MqttTopicFilter("a/b+", MqttQualityOfService.AtMostOnce)]), "MQTT-4.7.1-3" },
        { "SUBSCRIBE id 0", () => new MqttSubscribePacket(0, [new MqttTopicFilter("a", MqttQualityOfService.AtMostOnce)]), "MQTT-2.3.1-1" },
        { "SUBACK reserved code", () => new MqttSubAckPacket(1, [(MqttSubscribeReturnCode)3]), "MQTT-3.9.3-2" },
        { "UNSUBSCRIBE without filters", () => new MqttUnsubscribePacket(1, []), "MQTT-3.10.3-2" },
        { "PUBACK id 0", () => new MqttPubAckPacket(0), "MQTT-2.3.1-1" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Refuses_to_encode_what_the_specification_forbids_and_writes_nothing(string description, Func<MqttPacket> packet, string rule)
    {
        var output = new ArrayBufferWriter<byte>();

        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketWriter.Write(output, packet()));

        Assert.Equal(rule, error.Rule);
        Assert.Equal(0, output.WrittenCount);
        _ = description;
    }

    [Fact]
    public void Encodes_into_a_span_and_refuses_a_span_too_small()
    {
        var packet = new MqttPubAckPacket(0x1234);
        Span<byte> buffer = stackalloc byte[4];
        Assert.Equal(4, MqttPacketWriter.Write(packet, buffer));
        Assert.Equal("40021234", Hex.Format(buffer));
        Assert.Throws<ArgumentException>(() => MqttPacketWriter.Write(packet, new byte[3]));
    }

    [Fact]
    public void Large_publish_is_written_in_chunks_with_a_four_byte_remaining_length()
    {
        var payload = new byte[3_000_000];
        payload[^1] = 0xAB;
        var output = new ArrayBufferWriter<byte>();

        var written = MqttPacketWriter.WritePublish(output, "big", payload, MqttQualityOfService.AtLeastOnce, packetId: 7);

        Assert.Equal(1 + 4 + 2 + 3 + 2 + payload.Length, written);
        Assert.True(MqttPacketReader.TryDecode(output.WrittenSpan, MqttPacketReader.MaximumPacketSize, out var packet, out _));
        var publish = (MqttPublishPacket)packet;
        Assert.Equal(0xAB, publish.Payload.Span[^1]);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1024)]
    public void Publish_encoding_allocates_nothing(int payloadSize)
    {
        var payload = new byte[payloadSize];
        var output = new ArrayBufferWriter<byte>(4096);
        var packet = new MqttPublishPacket("devices/dev-1/messages/events/", payload) { QualityOfService = MqttQualityOfService.AtLeastOnce, PacketId = 1 };
        MqttPacketWriter.WritePublish(output, "devices/dev-1/messages/events/", payload, MqttQualityOfService.AtLeastOnce, packetId: 1);
        MqttPacketWriter.Write(output, packet);
        output.ResetWrittenCount();
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (ushort id = 1; id <= 1000; id++)
        {
            MqttPacketWriter.WritePublish(output, "devices/dev-1/messages/events/", payload, MqttQualityOfService.AtLeastOnce, packetId: id);
            MqttPacketWriter.Write(output, packet);
            output.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Publish_decoding_through_the_view_allocates_nothing()
    {
        var output = new ArrayBufferWriter<byte>();
        MqttPacketWriter.WritePublish(output, "$dps/registrations/res/202/?$rid=42&retry-after=3", Encoding.UTF8.GetBytes("{\"operationId\":\"x\"}"), MqttQualityOfService.AtLeastOnce, packetId: 9);
        var bytes = output.WrittenMemory.ToArray();
        var sum = Decode(bytes); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
            sum += Decode(bytes);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);

        static int Decode(byte[] bytes)
        {
            MqttPacketReader.TryReadFixedHeader(bytes, MqttPacketReader.MaximumPacketSize, out var header);
            var view = MqttPacketReader.DecodePublish(header, bytes.AsSpan(header.HeaderLength, header.RemainingLength));
            return view.Payload.Length + view.TopicUtf8.Length + view.PacketId;
        }
    }
}
