namespace DeviceAgent.Mqtt.Packets;

/// <summary>PUBCOMP: the last QoS 2 reply: publish complete (section 3.7).</summary>
public sealed class MqttPubCompPacket : MqttIdentifierPacket
{
    /// <summary>Creates the packet for <paramref name="packetId"/> (not 0).</summary>
    public MqttPubCompPacket(ushort packetId) : base(packetId) { }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PubComp;

    internal static MqttPubCompPacket Decode(ReadOnlySpan<byte> body) => new(ReadIdentifier(body, MqttPacketType.PubComp));
}
