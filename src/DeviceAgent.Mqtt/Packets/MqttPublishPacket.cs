using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>
/// PUBLISH (section 3.3): an application message. The hot path avoids this class:
/// <see cref="MqttPacketWriter.WritePublish"/> encodes from the fields and
/// <see cref="MqttPacketReader.DecodePublish"/> decodes to a <see cref="MqttPublishView"/>,
/// neither allocating.
/// </summary>
public sealed class MqttPublishPacket : MqttPacket
{
    /// <summary>Creates a QoS 0 message; set <see cref="QualityOfService"/> and <see cref="PacketId"/> for QoS 1 and 2.</summary>
    public MqttPublishPacket(string topic, ReadOnlyMemory<byte> payload)
    {
        Topic = topic ?? throw new ArgumentNullException(nameof(topic));
        Payload = payload;
    }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Publish;

    /// <summary>The topic name (no wildcards [MQTT-3.3.2-2]).</summary>
    public string Topic { get; }

    /// <summary>The application payload (may be empty).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The delivery QoS.</summary>
    public MqttQualityOfService QualityOfService { get; init; }

    /// <summary>Whether this is a retained message (or, from the server, a retained one delivered on subscribe).</summary>
    public bool Retain { get; init; }

    /// <summary>Whether this is a re-delivery [MQTT-3.3.1-1]; only with QoS 1 or 2 [MQTT-3.3.1-2].</summary>
    public bool Duplicate { get; init; }

    /// <summary>The packet identifier, non-zero for QoS 1 and 2, 0 for QoS 0.</summary>
    public ushort PacketId { get; init; }

    internal override byte FixedHeaderFlags => Flags(QualityOfService, Retain, Duplicate);

    internal override int MeasureBody() => Measure(Topic, Payload.Length, QualityOfService, Duplicate, PacketId);

    internal override void WriteBody(ref MqttBodyWriter writer)
    {
        WriteVariableHeader(ref writer, Topic, QualityOfService, PacketId);
        writer.WriteRaw(Payload.Span);
    }

    internal static byte Flags(MqttQualityOfService qos, bool retain, bool duplicate) =>
        (byte)((duplicate ? 0x08 : 0) | ((int)qos << 1) | (retain ? 0x01 : 0));

    /// <summary>Validates the fields and returns the remaining length.</summary>
    /// <exception cref="MqttProtocolException">A field breaks a rule.</exception>
    internal static int Measure(string topic, int payloadLength, MqttQualityOfService qos, bool duplicate, ushort packetId)
    {
        const MqttPacketType type = MqttPacketType.Publish;
        if (qos > MqttQualityOfService.ExactlyOnce)
            throw new MqttProtocolException(type, "QoS", "is 3", "MQTT-3.3.1-4");
        if (qos == MqttQualityOfService.AtMostOnce && duplicate)
            throw new MqttProtocolException(type, "DUP flag", "is set on a QoS 0 message", "MQTT-3.3.1-2");
        if (qos == MqttQualityOfService.AtMostOnce && packetId != 0)
            throw new MqttProtocolException(type, "packet identifier", "is present on a QoS 0 message", "MQTT-2.3.1-5");
        if (qos != MqttQualityOfService.AtMostOnce && packetId == 0)
            throw new MqttProtocolException(type, "packet identifier", "is 0", "MQTT-2.3.1-1");
        var length = 2 + MqttUtf8.Measure(topic, type, "topic name");
        MqttTopic.ValidateName(topic, type, "topic name");
        length += qos == MqttQualityOfService.AtMostOnce ? 0 : 2;
        if (payloadLength > MqttRemainingLength.Maximum - length)
            throw new MqttProtocolException(type, "payload", $"of {payloadLength} bytes does not fit in a packet", "MQTT-2.2.3");
        return length + payloadLength;
    }

    internal static void WriteVariableHeader(ref MqttBodyWriter writer, string topic, MqttQualityOfService qos, ushort packetId)
    {
        writer.WriteString(topic);
        if (qos != MqttQualityOfService.AtMostOnce)
            writer.WriteUInt16(packetId);
    }

    /// <summary>Decodes without allocating: the view's spans point into <paramref name="body"/>.</summary>
    internal static MqttPublishView DecodeView(byte flags, ReadOnlySpan<byte> body)
    {
        var qos = (MqttQualityOfService)((flags >> 1) & 0x03);
        var reader = new MqttBodyReader(body, MqttPacketType.Publish);
        var topic = reader.ReadUtf8("topic name");
        MqttTopic.ValidateName(topic, MqttPacketType.Publish, "topic name");
        var packetId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : reader.ReadPacketIdentifier();
        return new MqttPublishView(topic, reader.ReadToEnd(), qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId);
    }

    internal static MqttPublishPacket Decode(byte flags, ReadOnlySpan<byte> body)
    {
        var view = DecodeView(flags, body);
        return new MqttPublishPacket(view.GetTopic(), view.Payload.ToArray())
        {
            QualityOfService = view.QualityOfService,
            Retain = view.Retain,
            Duplicate = view.Duplicate,
            PacketId = view.PacketId,
        };
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"PUBLISH {Topic} qos={(int)QualityOfService} id={PacketId} retain={Retain} dup={Duplicate} payload={Payload.Length}B";
}
