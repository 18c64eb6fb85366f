namespace DeviceAgent.Mqtt.Packets;

/// <summary>PUBREC: the first QoS 2 reply: publish received (section 3.5).</summary>
public sealed class MqttPubRecPacket : MqttIdentifierPacket
{
    /// <summary>Creates the packet for <paramref name="packetId"/> (not 0).</summary>
    public MqttPubRecPacket(ushort packetId) : base(packetId) { }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PubRec;

    internal static MqttPubRecPacket Decode(ReadOnlySpan<byte> body) => new(ReadIdentifier(body, MqttPacketType.PubRec));
}
