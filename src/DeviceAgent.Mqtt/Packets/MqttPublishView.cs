using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>
/// A decoded PUBLISH that points into the bytes it was decoded from: no allocation. Valid only
/// while those bytes are; copy what must outlive them (<see cref="GetTopic"/>, <c>Payload.ToArray()</c>).
/// The topic has been validated (UTF-8 rules, no wildcards).
/// </summary>
public readonly ref struct MqttPublishView
{
    internal MqttPublishView(ReadOnlySpan<byte> topicUtf8, ReadOnlySpan<byte> payload, MqttQualityOfService qos, bool retain, bool duplicate, ushort packetId)
    {
        TopicUtf8 = topicUtf8;
        Payload = payload;
        QualityOfService = qos;
        Retain = retain;
        Duplicate = duplicate;
        PacketId = packetId;
    }

    /// <summary>The topic name as UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> TopicUtf8 { get; }

    /// <summary>The application payload.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The delivery QoS.</summary>
    public MqttQualityOfService QualityOfService { get; }

    /// <summary>The RETAIN flag.</summary>
    public bool Retain { get; }

    /// <summary>The DUP flag.</summary>
    public bool Duplicate { get; }

    /// <summary>The packet identifier (0 for QoS 0).</summary>
    public ushort PacketId { get; }

    /// <summary>The topic as a string (allocates).</summary>
    public string GetTopic() => MqttUtf8.Decode(TopicUtf8);
}
