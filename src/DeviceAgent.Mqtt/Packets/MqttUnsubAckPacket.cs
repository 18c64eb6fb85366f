namespace DeviceAgent.Mqtt.Packets;

/// <summary>UNSUBACK: the acknowledgment of an UNSUBSCRIBE (section 3.11).</summary>
public sealed class MqttUnsubAckPacket : MqttIdentifierPacket
{
    /// <summary>Creates the packet for <paramref name="packetId"/> (not 0).</summary>
    public MqttUnsubAckPacket(ushort packetId) : base(packetId) { }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    internal static MqttUnsubAckPacket Decode(ReadOnlySpan<byte> body) => new(ReadIdentifier(body, MqttPacketType.UnsubAck));
}
