using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>
/// A packet whose only content is a packet identifier: PUBACK, PUBREC, PUBREL, PUBCOMP and
/// UNSUBACK (remaining length 2). The identifier is never 0 [MQTT-2.3.1-1].
/// </summary>
public abstract class MqttIdentifierPacket : MqttPacket
{
    private protected MqttIdentifierPacket(ushort packetId) => PacketId = packetId;

    /// <summary>The packet identifier this packet acknowledges or releases.</summary>
    public ushort PacketId { get; }

    internal override int MeasureBody()
    {
        if (PacketId == 0)
            throw new MqttProtocolException(Type, "packet identifier", "is 0", "MQTT-2.3.1-1");
        return 2;
    }

    internal override void WriteBody(ref MqttBodyWriter writer) => writer.WriteUInt16(PacketId);

    internal static ushort ReadIdentifier(ReadOnlySpan<byte> body, MqttPacketType type) =>
        new MqttBodyReader(body, type).ReadPacketIdentifier();

    /// <inheritdoc/>
    public override string ToString() => $"{base.ToString()} id={PacketId}";
}
