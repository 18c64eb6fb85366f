using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Codec;

/// <summary>
/// Decodes MQTT 3.1.1 packets from bytes, for either role. Malformed input throws
/// <see cref="MqttProtocolException"/> naming packet, field and rule; incomplete input returns
/// false and consumes nothing. Nothing is allocated in proportion to a length the peer claims:
/// the fixed header is validated (type, flags, size limit) before the body is awaited, and the
/// body is decoded only once all of it is present. Thread-safe (stateless).
/// </summary>
public static class MqttPacketReader
{
    /// <summary>The largest packet MQTT 3.1.1 can express: 5 header bytes + 268,435,455.</summary>
    public const int MaximumPacketSize = 5 + MqttRemainingLength.Maximum;

    /// <summary>Reads and validates the fixed header at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Bytes received so far.</param>
    /// <param name="maximumPacketSize">Larger packets are refused before their body arrives.</param>
    /// <param name="header">The header, when the method returns true.</param>
    /// <returns>False when more bytes are needed to read the header.</returns>
    /// <exception cref="MqttProtocolException">Reserved type, wrong flags, malformed or oversized remaining length.</exception>
    public static bool TryReadFixedHeader(ReadOnlySpan<byte> buffer, int maximumPacketSize, out MqttFixedHeader header)
    {
        header = default;
        if (buffer.IsEmpty)
            return false;
        var type = (MqttPacketType)(buffer[0] >> 4);
        var flags = (byte)(buffer[0] & 0x0F);
        CheckTypeAndFlags(type, flags);
        if (!MqttRemainingLength.TryRead(buffer[1..], type, out var remaining, out var size))
            return false;
        CheckLength(type, remaining);
        header = new MqttFixedHeader(type, flags, remaining, 1 + size);
        if (header.PacketLength > maximumPacketSize)
            throw new MqttProtocolException(type, "remaining length", $"{remaining} makes a packet larger than the maximum of {maximumPacketSize} bytes", "MQTT-2.2.3");
        return true;
    }

    /// <inheritdoc cref="TryReadFixedHeader(ReadOnlySpan{byte}, int, out MqttFixedHeader)"/>
    public static bool TryReadFixedHeader(in ReadOnlySequence<byte> buffer, int maximumPacketSize, out MqttFixedHeader header)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= 5 || buffer.IsSingleSegment)
            return TryReadFixedHeader(first, maximumPacketSize, out header);
        Span<byte> head = stackalloc byte[5];
        var available = (int)Math.Min(5, buffer.Length);
        buffer.Slice(0, available).CopyTo(head);
        return TryReadFixedHeader(head[..available], maximumPacketSize, out header);
    }

    /// <summary>Decodes the body of a packet whose fixed header was read.</summary>
    /// <param name="header">The fixed header.</param>
    /// <param name="body">Exactly <see cref="MqttFixedHeader.RemainingLength"/> bytes.</param>
    /// <returns>The packet; strings and payloads are copied out of <paramref name="body"/>.</returns>
    /// <exception cref="MqttProtocolException">The body breaks a rule of the specification.</exception>
    /// <exception cref="ArgumentException"><paramref name="body"/> is not the header's remaining length.</exception>
    public static MqttPacket Decode(in MqttFixedHeader header, ReadOnlySpan<byte> body)
    {
        if (body.Length != header.RemainingLength)
            throw new ArgumentException($"the body is {body.Length} bytes, the header says {header.RemainingLength}", nameof(body));
        return header.Type switch
        {
            MqttPacketType.Connect => MqttConnectPacket.Decode(body),
            MqttPacketType.ConnAck => MqttConnAckPacket.Decode(body),
            MqttPacketType.Publish => MqttPublishPacket.Decode(header.Flags, body),
            MqttPacketType.PubAck => MqttPubAckPacket.Decode(body),
            MqttPacketType.PubRec => MqttPubRecPacket.Decode(body),
            MqttPacketType.PubRel => MqttPubRelPacket.Decode(body),
            MqttPacketType.PubComp => MqttPubCompPacket.Decode(body),
            MqttPacketType.Subscribe => MqttSubscribePacket.Decode(body),
            MqttPacketType.SubAck => MqttSubAckPacket.Decode(body),
            MqttPacketType.Unsubscribe => MqttUnsubscribePacket.Decode(body),
            MqttPacketType.UnsubAck => MqttUnsubAckPacket.Decode(body),
            MqttPacketType.PingReq => MqttPingReqPacket.Instance,
            MqttPacketType.PingResp => MqttPingRespPacket.Instance,
            MqttPacketType.Disconnect => MqttDisconnectPacket.Instance,
            _ => throw new ArgumentException($"{header.Type} is not a packet type", nameof(header)),
        };
    }

    /// <summary>Decodes a PUBLISH body without allocating (the hot path).</summary>
    /// <exception cref="MqttProtocolException">The body breaks a rule of the specification.</exception>
    /// <exception cref="ArgumentException">The header is not a PUBLISH or <paramref name="body"/> is not its remaining length.</exception>
    public static MqttPublishView DecodePublish(in MqttFixedHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Type != MqttPacketType.Publish || body.Length != header.RemainingLength)
            throw new ArgumentException("not the body of the PUBLISH the header describes", nameof(body));
        return MqttPublishPacket.DecodeView(header.Flags, body);
    }

    /// <summary>Decodes one packet from the start of <paramref name="buffer"/>.</summary>
    /// <returns>False (and <paramref name="bytesConsumed"/> 0) when the packet is not complete yet.</returns>
    /// <exception cref="MqttProtocolException">The bytes are malformed or the packet is too large.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> buffer, int maximumPacketSize, [NotNullWhen(true)] out MqttPacket? packet, out int bytesConsumed)
    {
        packet = null;
        bytesConsumed = 0;
        if (!TryReadFixedHeader(buffer, maximumPacketSize, out var header) || buffer.Length < header.PacketLength)
            return false;
        packet = Decode(header, buffer.Slice(header.HeaderLength, header.RemainingLength));
        bytesConsumed = header.PacketLength;
        return true;
    }

    /// <summary>Decodes one packet from the start of <paramref name="buffer"/> and slices it off.</summary>
    /// <returns>False (and <paramref name="buffer"/> untouched) when the packet is not complete yet.</returns>
    /// <exception cref="MqttProtocolException">The bytes are malformed or the packet is too large; <paramref name="buffer"/> is untouched.</exception>
    public static bool TryDecode(ref ReadOnlySequence<byte> buffer, int maximumPacketSize, [NotNullWhen(true)] out MqttPacket? packet)
    {
        packet = null;
        if (!TryReadFixedHeader(buffer, maximumPacketSize, out var header) || buffer.Length < header.PacketLength)
            return false;
        var body = buffer.Slice(header.HeaderLength, header.RemainingLength);
        if (body.IsSingleSegment)
        {
            packet = Decode(header, body.FirstSpan);
        }
        else
        {
            var rented = ArrayPool<byte>.Shared.Rent(header.RemainingLength);
            try
            {
                body.CopyTo(rented);
                packet = Decode(header, rented.AsSpan(0, header.RemainingLength));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        buffer = buffer.Slice(header.PacketLength);
        return true;
    }

    private static void CheckTypeAndFlags(MqttPacketType type, byte flags)
    {
        switch (type)
        {
            case 0 or (MqttPacketType)15:
                throw new MqttProtocolException(null, "packet type", $"{(int)type} is reserved", "MQTT-2.2.1");
            case MqttPacketType.Publish:
                var qos = (flags >> 1) & 0x03;
                if (qos == 3)
                    throw new MqttProtocolException(type, "fixed header flags", "QoS is 3", "MQTT-3.3.1-4");
                if (qos == 0 && (flags & 0x08) != 0)
                    throw new MqttProtocolException(type, "fixed header flags", "DUP is set on a QoS 0 message", "MQTT-3.3.1-2");
                return;
            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                if (flags != 0b0010)
                    throw new MqttProtocolException(type, "fixed header flags", $"are 0x{flags:X} instead of 0x2", type switch
                    {
                        MqttPacketType.PubRel => "MQTT-3.6.1-1",
                        MqttPacketType.Subscribe => "MQTT-3.8.1-1",
                        _ => "MQTT-3.10.1-1",
                    });
                return;
            default:
                if (flags != 0)
                    throw new MqttProtocolException(type, "fixed header flags", $"are 0x{flags:X} instead of 0x0",
                        type == MqttPacketType.Disconnect ? "MQTT-3.14.1-1" : "MQTT-2.2.2-1");
                return;
        }
    }

    /// <summary>Packets of a fixed size are checked from the header alone.</summary>
    private static void CheckLength(MqttPacketType type, int remaining)
    {
        var (expected, section) = type switch
        {
            MqttPacketType.ConnAck => (2, "MQTT-3.2.1"),
            MqttPacketType.PubAck => (2, "MQTT-3.4.1"),
            MqttPacketType.PubRec => (2, "MQTT-3.5.1"),
            MqttPacketType.PubRel => (2, "MQTT-3.6.1"),
            MqttPacketType.PubComp => (2, "MQTT-3.7.1"),
            MqttPacketType.UnsubAck => (2, "MQTT-3.11.1"),
            MqttPacketType.PingReq => (0, "MQTT-3.12.1"),
            MqttPacketType.PingResp => (0, "MQTT-3.13.1"),
            MqttPacketType.Disconnect => (0, "MQTT-3.14.1"),
            _ => (-1, string.Empty),
        };
        if (expected >= 0 && remaining != expected)
            throw new MqttProtocolException(type, "remaining length", $"is {remaining}, must be {expected}", section);
    }
}
