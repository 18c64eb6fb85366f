using System.Buffers;
using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Packets;

/// <summary>All 14 packets: known bytes decode to the expected packet and encode back to the same bytes.</summary>
public sealed class MqttPacketRoundTripTests
{
    public static TheoryData<string, string> Packets() => new()
    {
        { "10 0D 0004 4D515454 04 02 000A 0001 70", "CONNECT client=p clean=True keepAlive=10s" },
        { "10 0C 0004 4D515454 04 02 0000 0000", "CONNECT client= clean=True keepAlive=0s" },
        { "10 1E 0004 4D515454 04 EE 003C 0001 70 0003 772F74 0002 6869 0001 75 0003 010203", "CONNECT client=p clean=True keepAlive=60s" },
        { "20 02 00 00", "CONNACK Accepted sessionPresent=False" },
        { "20 02 01 00", "CONNACK Accepted sessionPresent=True" },
        { "20 02 00 05", "CONNACK NotAuthorized sessionPresent=False" },
        { "30 0E 0005 746F706963 7061796C6F6164", "PUBLISH topic qos=0 id=0 retain=False dup=False payload=7B" },
        { "31 07 0005 746F706963", "PUBLISH topic qos=0 id=0 retain=True dup=False payload=0B" },
        { "3A 10 0005 746F706963 1234 7061796C6F6164", "PUBLISH topic qos=1 id=4660 retain=False dup=True payload=7B" },
        { "35 09 0005 746F706963 FFFF", "PUBLISH topic qos=2 id=65535 retain=True dup=False payload=0B" },
        { "40 02 0001", "PUBACK id=1" },
        { "50 02 1234", "PUBREC id=4660" },
        { "62 02 1234", "PUBREL id=4660" },
        { "70 02 1234", "PUBCOMP id=4660" },
        { "82 0A 1234 0001 70 00 0001 71 02", "SUBSCRIBE id=4660 p qos=0, q qos=2" },
        { "82 1a 0001 0015 247368617265 2f 73686172656e616d65 2f 74657374 01", "SUBSCRIBE id=1 $share/sharename/test qos=1" },
        { "90 05 1234 00 01 80", "SUBACK id=4660 [GrantedQoS0, GrantedQoS1, Failure]" },
        { "A2 08 1234 0001 70 0001 71", "UNSUBSCRIBE id=4660 p, q" },
        { "B0 02 1234", "UNSUBACK id=4660" },
        { "C0 00", "PINGREQ" },
        { "D0 00", "PINGRESP" },
        { "E0 00", "DISCONNECT" },
    };

    [Theory]
    [MemberData(nameof(Packets))]
    public void Decodes_and_encodes_back_to_the_same_bytes(string hex, string expected)
    {
        var bytes = Hex.Parse(hex);

        Assert.True(MqttPacketReader.TryDecode(bytes, MqttPacketReader.MaximumPacketSize, out var packet, out var consumed));

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(expected, packet.ToString());
        Assert.Equal(Hex.Format(bytes), Hex.Format(Encode(packet)));
    }

    [Fact]
    public void Connect_fields_survive_the_round_trip()
    {
        var connect = new MqttConnectPacket("dev-1")
        {
            CleanSession = false,
            KeepAliveSeconds = 300,
            UserName = "scope/registrations/dev-1/api-version=2019-03-31",
            Password = new byte[] { 0, 1, 2 },
            Will = new MqttWill("w/t", new byte[] { 9 }, MqttQualityOfService.ExactlyOnce, true),
        };

        var decoded = (MqttConnectPacket)Decode(Encode(connect));

        Assert.Equal("dev-1", decoded.ClientId);
        Assert.False(decoded.CleanSession);
        Assert.Equal(300, decoded.KeepAliveSeconds);
        Assert.Equal(connect.UserName, decoded.UserName);
        Assert.Equal([0, 1, 2], decoded.Password!.Value.ToArray());
        Assert.Equal("w/t", decoded.Will!.Topic);
        Assert.Equal(MqttQualityOfService.ExactlyOnce, decoded.Will.QualityOfService);
        Assert.True(decoded.Will.Retain);
        Assert.Equal([9], decoded.Will.Payload.ToArray());
    }

    /// <summary>
    /// Property: for random valid packets of every type, encode -> decode -> encode is the
    /// identity on bytes, whole and split into 1-byte segments, and the size is announced right.
    /// </summary>
    [Fact]
    public void Random_valid_packets_of_every_type_round_trip()
    {
        var random = new Random(20260101);
        var seen = new HashSet<MqttPacketType>();
        for (var i = 0; i < 3000; i++)
        {
            var packet = RandomPackets.Next(random);
            seen.Add(packet.Type);
            var bytes = Encode(packet);
            Assert.Equal(bytes.Length, MqttPacketWriter.GetEncodedLength(packet));

            var decoded = Decode(bytes);
            Assert.Equal(packet.Type, decoded.Type);
            Assert.Equal(Hex.Format(bytes), Hex.Format(Encode(decoded)));

            var split = Segments.Split(bytes, 1 + (i % 7));
            Assert.True(MqttPacketReader.TryDecode(ref split, MqttPacketReader.MaximumPacketSize, out var fromSegments));
            Assert.Equal(Hex.Format(bytes), Hex.Format(Encode(fromSegments)));
        }
        Assert.Equal(14, seen.Count);
    }

    internal static byte[] Encode(MqttPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(output, packet);
        return output.WrittenSpan.ToArray();
    }

    private static MqttPacket Decode(byte[] bytes)
    {
        Assert.True(MqttPacketReader.TryDecode(bytes, MqttPacketReader.MaximumPacketSize, out var packet, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        return packet;
    }
}
