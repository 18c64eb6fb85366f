using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>UNSUBSCRIBE (section 3.10): fixed header flags 0010 [MQTT-3.10.1-1], at least one filter [MQTT-3.10.3-2].</summary>
public sealed class MqttUnsubscribePacket : MqttPacket
{
    /// <summary>Creates the packet.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> is null.</exception>
    public MqttUnsubscribePacket(ushort packetId, IEnumerable<string> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        PacketId = packetId;
        Filters = [.. filters];
    }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    /// <summary>The packet identifier (not 0).</summary>
    public ushort PacketId { get; }

    /// <summary>The topic filters to remove.</summary>
    public IReadOnlyList<string> Filters { get; }

    internal override byte FixedHeaderFlags => 0b0010;

    internal override int MeasureBody()
    {
        if (PacketId == 0)
            throw new MqttProtocolException(Type, "packet identifier", "is 0", "MQTT-2.3.1-1");
        if (Filters.Count == 0)
            throw new MqttProtocolException(Type, "payload", "has no topic filter", "MQTT-3.10.3-2");
        var length = 2;
        foreach (var filter in Filters)
        {
            length += 2 + MqttUtf8.Measure(filter, Type, "topic filter");
            MqttTopic.ValidateFilter(filter, Type, "topic filter");
        }
        return length;
    }

    internal override void WriteBody(ref MqttBodyWriter writer)
    {
        writer.WriteUInt16(PacketId);
        foreach (var filter in Filters)
            writer.WriteString(filter);
    }

    internal static MqttUnsubscribePacket Decode(ReadOnlySpan<byte> body)
    {
        var reader = new MqttBodyReader(body, MqttPacketType.Unsubscribe);
        var id = reader.ReadPacketIdentifier();
        if (reader.End)
            throw reader.Malformed("payload", "has no topic filter", "MQTT-3.10.3-2");
        var filters = new List<string>();
        while (!reader.End)
        {
            var filter = reader.ReadString("topic filter");
            MqttTopic.ValidateFilter(filter, MqttPacketType.Unsubscribe, "topic filter");
            filters.Add(filter);
        }
        return new MqttUnsubscribePacket(id, filters);
    }

    /// <inheritdoc/>
    public override string ToString() => $"UNSUBSCRIBE id={PacketId} {string.Join(", ", Filters)}";
}
