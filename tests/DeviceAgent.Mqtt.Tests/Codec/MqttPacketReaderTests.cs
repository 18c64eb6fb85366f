using System.Buffers;
using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Codec;

public sealed class MqttPacketReaderTests
{
    private const int Max = 64 * 1024;

    /// <summary>
    /// The malformed-packet corpus: truncated, oversized, bad flags, bad UTF-8, bad remaining
    /// length, and every CONNECT/PUBLISH/SUBSCRIBE rule; each with the precise field and rule.
    /// </summary>
    public static TheoryData<string, string, string, string> Malformed() => new()
    {
        // description, hex, field, rule
        { "reserved type 0", "00 00", "packet type", "MQTT-2.2.1" },
        { "reserved type 15 (AUTH of MQTT 5)", "F0 00", "packet type", "MQTT-2.2.1" },
        { "remaining length of 5 bytes", "30 FF FF FF FF 7F", "remaining length", "MQTT-2.2.3" },
        { "oversized: 256 MB claimed, limit 64 KiB", "30 FF FF FF 7F", "remaining length", "MQTT-2.2.3" },
        { "CONNECT flags 1", "11 0D 0004 4D515454 04 02 000A 0001 70", "fixed header flags", "MQTT-2.2.2-1" },
        { "CONNACK flags 8", "28 02 00 00", "fixed header flags", "MQTT-2.2.2-1" },
        { "PUBREL flags 0", "60 02 0001", "fixed header flags", "MQTT-3.6.1-1" },
        { "SUBSCRIBE flags 0", "80 06 1234 0001 70 00", "fixed header flags", "MQTT-3.8.1-1" },
        { "UNSUBSCRIBE flags 3", "A3 05 1234 0001 70", "fixed header flags", "MQTT-3.10.1-1" },
        { "DISCONNECT flags 1", "E1 00", "fixed header flags", "MQTT-3.14.1-1" },
        { "PUBLISH QoS 3", "36 10 0005 746F706963 1234 7061796C6F6164", "fixed header flags", "MQTT-3.3.1-4" },
        { "PUBLISH QoS 0 with DUP", "38 0E 0005 746F706963 7061796C6F6164", "fixed header flags", "MQTT-3.3.1-2" },
        { "PUBACK too long", "40 03 0001 00", "remaining length", "MQTT-3.4.1" },
        { "PUBREC too short", "50 01 01", "remaining length", "MQTT-3.5.1" },
        { "PUBCOMP empty", "70 00", "remaining length", "MQTT-3.7.1" },
        { "UNSUBACK too long", "B0 03 0001 00", "remaining length", "MQTT-3.11.1" },
        { "CONNACK short", "20 01 00", "remaining length", "MQTT-3.2.1" },
        { "PINGREQ with a body", "C0 01 00", "remaining length", "MQTT-3.12.1" },
        { "PINGRESP with a body", "D0 01 00", "remaining length", "MQTT-3.13.1" },
        { "DISCONNECT with a body", "E0 01 00", "remaining length", "MQTT-3.14.1" },
        { "PUBACK id 0", "40 02 0000", "packet identifier", "MQTT-2.3.1-1" },
        { "PUBLISH QoS 1 id 0", "32 10 0005 746F706963 0000 7061796C6F6164", "packet identifier", "MQTT-2.3.1-1" },
        { "PUBLISH topic length beyond the packet", "30 05 0009 746F70", "topic name", "MQTT-2.2.3" },
        { "PUBLISH empty topic", "30 09 0000 7061796C6F6164", "topic name", "MQTT-4.7.3-1" },
        { "PUBLISH topic with +", "30 0E 0005 2B6F706963 7061796C6F6164", "topic name", "MQTT-3.3.2-2" },
        { "PUBLISH topic with #", "30 0E 0005 236F706963 7061796C6F6164", "topic name", "MQTT-3.3.2-2" },
        { "PUBLISH topic with U+0000", "30 0E 0005 746F700000 7061796C6F6164", "topic name", "MQTT-1.5.3-2" },
        { "PUBLISH topic with U+D800", "30 0E 0005 746FEDA080 7061796C6F6164", "topic name", "MQTT-1.5.3-1" },
        { "PUBLISH topic overlong encoding", "30 0B 0002 C0AF 7061796C6F6164", "topic name", "MQTT-1.5.3-1" },
        { "PUBLISH topic truncated sequence", "30 0A 0001 E2 7061796C6F6164", "topic name", "MQTT-1.5.3-1" },
        { "PUBLISH topic with U+0001", "30 0E 0005 746F700170 7061796C6F6164", "topic name", "MQTT-1.5.3" },
        { "PUBLISH topic with U+009F", "30 0E 0005 746FC29F70 7061796C6F6164", "topic name", "MQTT-1.5.3" },
        { "PUBLISH topic with U+FFFF", "30 0E 0005 746FEDBFBF 7061796C6F6164", "topic name", "MQTT-1.5.3-1" },
        { "PUBLISH topic with U+FFFE", "30 0E 0005 746FEFBFBE 7061796C6F6164", "topic name", "MQTT-1.5.3" },
        { "CONNECT protocol name MQTU", "10 0D 0004 4D515455 04 02 000A 0001 70", "protocol name", "MQTT-3.1.2-1" },
        { "CONNECT protocol level 3", "10 0D 0004 4D515454 03 02 000A 0001 70", "protocol level", "MQTT-3.1.2-2" },
        { "CONNECT reserved flag", "10 0D 0004 4D515454 04 01 000A 0001 70", "connect flags", "MQTT-3.1.2-3" },
        { "CONNECT will QoS without will", "10 0D 0004 4D515454 04 0A 000A 0001 70", "connect flags", "MQTT-3.1.2-13" },
        { "CONNECT will retain without will", "10 0D 0004 4D515454 04 22 000A 0001 70", "connect flags", "MQTT-3.1.2-15" },
        { "CONNECT will QoS 3", "10 13 0004 4D515454 04 1E 000A 0001 70 0001 70 0001 70", "connect flags", "MQTT-3.1.2-14" },
        { "CONNECT password without user name", "10 10 0004 4D515454 04 42 000A 0001 70 0001 70", "connect flags", "MQTT-3.1.2-22" },
        { "CONNECT no client id", "10 0A 0004 4D515454 04 02 000A", "client identifier", "MQTT-3.1.3-3" },
        { "CONNECT empty client id, no clean session", "10 0C 0004 4D515454 04 00 000A 0000", "client identifier", "MQTT-3.1.3-8" },
        { "CONNECT client id with U+0000", "10 11 0004 4D515454 04 02 000A 0005 746F700000", "client identifier", "MQTT-1.5.3-2" },
        { "CONNECT will flag, no will topic", "10 0D 0004 4D515454 04 06 000A 0001 70", "will topic", "MQTT-3.1.2-9" },
        { "CONNECT will flag, no will message", "10 10 0004 4D515454 04 06 000A 0001 70 0001 70", "will message", "MQTT-3.1.2-9" },
        { "CONNECT will topic with wildcard", "10 13 0004 4D515454 04 06 000A 0001 70 0001 23 0001 70", "will topic", "MQTT-3.3.2-2" },
        { "CONNECT user name without flag", "10 10 0004 4D515454 04 02 000A 0001 70 0001 70", "user name", "MQTT-3.1.2-18" },
        { "CONNECT user name flag, no user name", "10 0D 0004 4D515454 04 82 000A 0001 70", "user name", "MQTT-3.1.2-19" },
        { "CONNECT user name with U+001F", "10 14 0004 4D515454 04 82 000A 0001 70 0005 746F701F70", "user name", "MQTT-1.5.3" },
        { "CONNECT password without flag", "10 13 0004 4D515454 04 82 000A 0001 70 0001 70 0001 70", "password", "MQTT-3.1.2-20" },
        { "CONNECT password flag, no password", "10 10 0004 4D515454 04 C2 000A 0001 70 0001 70", "password", "MQTT-3.1.2-21" },
        { "CONNACK reserved flag bits", "20 02 02 00", "acknowledge flags", "MQTT-3.2.2.1" },
        { "CONNACK session present with a refusal", "20 02 01 05", "session present", "MQTT-3.2.2-4" },
        { "SUBSCRIBE no filter", "82 02 1234", "payload", "MQTT-3.8.3-3" },
        { "SUBSCRIBE filter without QoS", "82 05 1234 0001 70", "requested QoS", "MQTT-2.2.3" },
        { "SUBSCRIBE QoS 3", "82 06 1234 0001 70 03", "requested QoS", "MQTT-3.8.3-4" },
        { "SUBSCRIBE reserved QoS bits", "82 06 1234 0001 70 40", "requested QoS", "MQTT-3.8.3-4" },
        { "SUBSCRIBE empty filter", "82 05 1234 0000 00", "topic filter", "MQTT-4.7.3-1" },
        { "SUBSCRIBE # not last", "82 08 1234 0003 232F61 00", "topic filter", "MQTT-4.7.1-2" },
        { "SUBSCRIBE # inside a level", "82 07 1234 0002 6123 00", "topic filter", "MQTT-4.7.1-2" },
        { "SUBSCRIBE + inside a level", "82 07 1234 0002 612B 00", "topic filter", "MQTT-4.7.1-3" },
        { "SUBSCRIBE id 0", "82 06 0000 0001 70 00", "packet identifier", "MQTT-2.3.1-1" },
        { "SUBACK reserved return code", "90 03 0001 03", "return code", "MQTT-3.9.3-2" },
        { "SUBACK no return code", "90 02 0001", "payload", "MQTT-3.9.3-1" },
        { "UNSUBSCRIBE no filter", "A2 02 1234", "payload", "MQTT-3.10.3-2" },
        { "UNSUBSCRIBE empty filter", "A2 07 1234 0000 0001 71", "topic filter", "MQTT-4.7.3-1" },
        { "UNSUBSCRIBE truncated filter", "A2 04 1234 0001", "topic filter", "MQTT-2.2.3" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_packet_is_a_protocol_violation_naming_field_and_rule_and_consumes_nothing(string description, string hex, string field, string rule)
    {
        var bytes = Hex.Parse(hex);

        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryDecode(bytes, Max, out _, out _));
        Assert.Equal(rule, error.Rule);
        Assert.Equal(field, error.Field);
        Assert.Contains($"[{rule}]", error.Message, StringComparison.Ordinal);

        var sequence = new ReadOnlySequence<byte>(bytes);
        var before = sequence;
        Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryDecode(ref sequence, Max, out _));
        Assert.Equal(before, sequence);
        _ = description;
    }

    [Theory]
    [InlineData("10 0D 0004 4D515454 03 02 000A 0001 70", MqttConnectReturnCode.UnacceptableProtocolVersion)]
    [InlineData("10 0F 0006 4D5149736470 03 02 000A 0001 70", MqttConnectReturnCode.UnacceptableProtocolVersion)]
    [InlineData("10 0C 0004 4D515454 04 00 000A 0000", MqttConnectReturnCode.IdentifierRejected)]
    public void Refusable_connect_carries_the_connack_code_the_server_must_answer_with(string hex, MqttConnectReturnCode expected)
    {
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryDecode(Hex.Parse(hex), Max, out _, out _));
        Assert.Equal(expected, error.ConnectReturnCode);
    }

    [Fact]
    public void Every_prefix_of_a_packet_is_incomplete_and_consumes_nothing()
    {
        var bytes = Hex.Parse("32 10 0005 746F706963 1234 7061796C6F6164");
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(MqttPacketReader.TryDecode(bytes.AsSpan(0, length), Max, out var packet, out var consumed));
            Assert.Null(packet);
            Assert.Equal(0, consumed);
            var sequence = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(MqttPacketReader.TryDecode(ref sequence, Max, out _));
            Assert.Equal(length, sequence.Length);
        }
        Assert.True(MqttPacketReader.TryDecode(bytes, Max, out var complete, out var used));
        Assert.Equal(bytes.Length, used);
        Assert.Equal("topic", ((MqttPublishPacket)complete).Topic);
    }

    [Fact]
    public void Bad_flags_are_reported_from_the_first_byte_without_waiting_for_more()
    {
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryReadFixedHeader([0x60], Max, out _));
        Assert.Equal("MQTT-3.6.1-1", error.Rule);
    }

    [Fact]
    public void A_256_MB_remaining_length_claim_allocates_nothing_while_it_waits_for_the_body()
    {
        var claim = Hex.Parse("30 FF FF FF 7F 0005 746F706963");
        MqttPacketReader.TryDecode(claim, MqttPacketReader.MaximumPacketSize, out _, out _); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();

        var complete = MqttPacketReader.TryDecode(claim, MqttPacketReader.MaximumPacketSize, out _, out var consumed);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.False(complete);
        Assert.Equal(0, consumed);
        Assert.True(MqttPacketReader.TryReadFixedHeader(claim, MqttPacketReader.MaximumPacketSize, out var header));
        Assert.Equal(268_435_455, header.RemainingLength);
    }

    [Fact]
    public void Decodes_a_packet_split_across_many_segments()
    {
        var bytes = Hex.Parse("82 0E 1234 0009 63726173682F332F23 01");
        var sequence = Segments.Split(bytes, 1);

        Assert.True(MqttPacketReader.TryDecode(ref sequence, Max, out var packet));

        var subscribe = Assert.IsType<MqttSubscribePacket>(packet);
        Assert.Equal(0x1234, subscribe.PacketId);
        Assert.Equal(new MqttTopicFilter("crash/3/#", MqttQualityOfService.AtLeastOnce), Assert.Single(subscribe.Filters));
        Assert.True(sequence.IsEmpty);
    }

    [Fact]
    public void Decodes_consecutive_packets_one_at_a_time()
    {
        var sequence = new ReadOnlySequence<byte>(Hex.Parse("C0 00 D0 00 E0 00"));
        var types = new List<MqttPacketType>();
        while (MqttPacketReader.TryDecode(ref sequence, Max, out var packet))
            types.Add(packet.Type);
        Assert.Equal([MqttPacketType.PingReq, MqttPacketType.PingResp, MqttPacketType.Disconnect], types);
    }

    [Fact]
    public void Publish_view_points_into_the_input_and_allocates_nothing()
    {
        var bytes = Hex.Parse("3B 10 0005 746F706963 1234 7061796C6F6164");
        Assert.True(MqttPacketReader.TryReadFixedHeader(bytes, Max, out var header));
        var body = bytes.AsSpan(header.HeaderLength, header.RemainingLength);
        MqttPacketReader.DecodePublish(header, body); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();

        var view = MqttPacketReader.DecodePublish(header, body);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True("topic"u8.SequenceEqual(view.TopicUtf8));
        Assert.True("payload"u8.SequenceEqual(view.Payload));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, view.QualityOfService);
        Assert.True(view.Retain);
        Assert.True(view.Duplicate);
        Assert.Equal(0x1234, view.PacketId);
        Assert.Equal("topic", view.GetTopic());
    }

    [Fact]
    public void Topic_with_a_supplementary_code_point_is_accepted()
    {
        // U+2A6D4 (section 1.5.3.1's example), four bytes of UTF-8.
        Assert.True(MqttPacketReader.TryDecode(Hex.Parse("30 0E 0005 41F0AA9B94 7061796C6F6164"), Max, out var packet, out _));
        Assert.Equal("A\U0002A6D4", ((MqttPublishPacket)packet).Topic);
    }

    [Fact]
    public void Byte_order_mark_is_kept_not_stripped()
    {
        // [MQTT-1.5.3-3]
        Assert.True(MqttPacketReader.TryDecode(Hex.Parse("30 06 0004 EFBBBF61"), Max, out var packet, out _));
        Assert.Equal("\uFEFFa", ((MqttPublishPacket)packet).Topic);
    }
}
