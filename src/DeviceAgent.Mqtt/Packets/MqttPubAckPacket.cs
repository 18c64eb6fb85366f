namespace DeviceAgent.Mqtt.Packets;

/// <summary>PUBACK: the QoS 1 acknowledgment of a PUBLISH (section 3.4).</summary>
public sealed class MqttPubAckPacket : MqttIdentifierPacket
{
    /// <summary>Creates the packet for <paramref name="packetId"/> (not 0).</summary>
    public MqttPubAckPacket(ushort packetId) : base(packetId) { }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PubAck;

    internal static MqttPubAckPacket Decode(ReadOnlySpan<byte> body) => new(ReadIdentifier(body, MqttPacketType.PubAck));
}
