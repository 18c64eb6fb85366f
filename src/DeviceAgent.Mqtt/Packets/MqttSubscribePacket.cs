using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>SUBSCRIBE (section 3.8): fixed header flags 0010 [MQTT-3.8.1-1], at least one filter [MQTT-3.8.3-3].</summary>
public sealed class MqttSubscribePacket : MqttPacket
{
    /// <summary>Creates the packet.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> is null.</exception>
    public MqttSubscribePacket(ushort packetId, IEnumerable<MqttTopicFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        PacketId = packetId;
        Filters = [.. filters];
    }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    /// <summary>The packet identifier (not 0).</summary>
    public ushort PacketId { get; }

    /// <summary>The filters and requested QoS, in order (SUBACK answers in the same order).</summary>
    public IReadOnlyList<MqttTopicFilter> Filters { get; }

    internal override byte FixedHeaderFlags => 0b0010;

    internal override int MeasureBody()
    {
        if (PacketId == 0)
            throw new MqttProtocolException(Type, "packet identifier", "is 0", "MQTT-2.3.1-1");
        if (Filters.Count == 0)
            throw new MqttProtocolException(Type, "payload", "has no topic filter", "MQTT-3.8.3-3");
        var length = 2;
        foreach (var filter in Filters)
        {
            length += 2 + MqttUtf8.Measure(filter.Filter, Type, "topic filter") + 1;
            MqttTopic.ValidateFilter(filter.Filter, Type, "topic filter");
            if (filter.QualityOfService > MqttQualityOfService.ExactlyOnce)
                throw new MqttProtocolException(Type, "requested QoS", "is not 0, 1 or 2", "MQTT-3.8.3-4");
        }
        return length;
    }

    internal override void WriteBody(ref MqttBodyWriter writer)
    {
        writer.WriteUInt16(PacketId);
        foreach (var filter in Filters)
        {
            writer.WriteString(filter.Filter);
            writer.WriteByte((byte)filter.QualityOfService);
        }
    }

    internal static MqttSubscribePacket Decode(ReadOnlySpan<byte> body)
    {
        var reader = new MqttBodyReader(body, MqttPacketType.Subscribe);
        var id = reader.ReadPacketIdentifier();
        if (reader.End)
            throw reader.Malformed("payload", "has no topic filter", "MQTT-3.8.3-3");
        var filters = new List<MqttTopicFilter>();
        while (!reader.End)
        {
            var filter = reader.ReadString("topic filter");
            MqttTopic.ValidateFilter(filter, MqttPacketType.Subscribe, "topic filter");
            var qos = reader.ReadByte("requested QoS");
            if (qos > 2)
                throw reader.Malformed("requested QoS", $"is 0x{qos:X2}: reserved bits set or QoS 3", "MQTT-3.8.3-4");
            filters.Add(new MqttTopicFilter(filter, (MqttQualityOfService)qos));
        }
        return new MqttSubscribePacket(id, filters);
    }

    /// <inheritdoc/>
    public override string ToString() => $"SUBSCRIBE id={PacketId} {string.Join(", ", Filters.Select(f => $"{f.Filter} qos={(int)f.QualityOfService}"))}";
}
