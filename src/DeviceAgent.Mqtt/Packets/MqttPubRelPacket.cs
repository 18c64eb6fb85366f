namespace DeviceAgent.Mqtt.Packets;

/// <summary>PUBREL: the second QoS 2 step, publish release (section 3.6); fixed header flags 0010 [MQTT-3.6.1-1].</summary>
public sealed class MqttPubRelPacket : MqttIdentifierPacket
{
    /// <summary>Creates the packet for <paramref name="packetId"/> (not 0).</summary>
    public MqttPubRelPacket(ushort packetId) : base(packetId) { }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PubRel;

    internal override byte FixedHeaderFlags => 0b0010;

    internal static MqttPubRelPacket Decode(ReadOnlySpan<byte> body) => new(ReadIdentifier(body, MqttPacketType.PubRel));
}
