using System.Buffers;
using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Codec;

/// <summary>
/// Encodes MQTT 3.1.1 packets. Every method validates first and throws
/// <see cref="MqttProtocolException"/> (with the rule) instead of writing a packet the
/// specification forbids; nothing is written then. Encoding allocates nothing.
/// Thread-safe (stateless).
/// </summary>
public static class MqttPacketWriter
{
    /// <summary>The encoded size of <paramref name="packet"/> in bytes.</summary>
    /// <exception cref="MqttProtocolException">The packet breaks a rule of the specification.</exception>
    public static int GetEncodedLength(MqttPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var remaining = packet.MeasureBody();
        return 1 + MqttRemainingLength.SizeOf(remaining) + remaining;
    }

    /// <summary>Encodes <paramref name="packet"/> into <paramref name="destination"/>.</summary>
    /// <returns>The bytes written.</returns>
    /// <exception cref="MqttProtocolException">The packet breaks a rule of the specification.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static int Write(MqttPacket packet, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var remaining = packet.MeasureBody();
        var total = 1 + MqttRemainingLength.SizeOf(remaining) + remaining;
        if (destination.Length < total)
            throw new ArgumentException($"{total} bytes are needed, the destination has {destination.Length}", nameof(destination));
        var writer = new MqttBodyWriter(destination);
        writer.WriteFixedHeader(packet.Type, packet.FixedHeaderFlags, remaining);
        packet.WriteBody(ref writer);
        return writer.Position;
    }

    /// <summary>Encodes <paramref name="packet"/> into <paramref name="output"/>.</summary>
    /// <returns>The bytes written.</returns>
    /// <exception cref="MqttProtocolException">The packet breaks a rule of the specification.</exception>
    public static int Write(IBufferWriter<byte> output, MqttPacket packet)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        if (packet is MqttPublishPacket publish)
            return WritePublish(output, publish.Topic, publish.Payload.Span, publish.QualityOfService, publish.Retain, publish.Duplicate, publish.PacketId);
        var written = Write(packet, output.GetSpan(GetEncodedLength(packet)));
        output.Advance(written);
        return written;
    }

    /// <summary>
    /// Encodes a PUBLISH from its fields, without a packet object: the hot path. The payload is
    /// copied into <paramref name="output"/> in the chunks it hands out, so a large payload needs
    /// no contiguous buffer of its size.
    /// </summary>
    /// <returns>The bytes written.</returns>
    /// <exception cref="MqttProtocolException">A field breaks a rule (topic, QoS, DUP, packet identifier).</exception>
    public static int WritePublish(IBufferWriter<byte> output, string topic, ReadOnlySpan<byte> payload,
        MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false, bool duplicate = false, ushort packetId = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(topic);
        var remaining = MqttPublishPacket.Measure(topic, payload.Length, qualityOfService, duplicate, packetId);
        var headerLength = 1 + MqttRemainingLength.SizeOf(remaining) + remaining - payload.Length;
        var writer = new MqttBodyWriter(output.GetSpan(headerLength));
        writer.WriteFixedHeader(MqttPacketType.Publish, MqttPublishPacket.Flags(qualityOfService, retain, duplicate), remaining);
        MqttPublishPacket.WriteVariableHeader(ref writer, topic, qualityOfService, packetId);
        output.Advance(writer.Position);
        output.Write(payload);
        return headerLength + payload.Length;
    }
}
