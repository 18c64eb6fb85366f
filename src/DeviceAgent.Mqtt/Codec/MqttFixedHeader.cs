namespace DeviceAgent.Mqtt.Codec;

/// <summary>
/// A control packet's fixed header (section 2.2): type, flags, and the remaining length that
/// follows. Reading it validates the flags and the size before any of the body arrives.
/// </summary>
public readonly record struct MqttFixedHeader
{
    internal MqttFixedHeader(MqttPacketType type, byte flags, int remainingLength, int headerLength)
    {
        Type = type;
        Flags = flags;
        RemainingLength = remainingLength;
        HeaderLength = headerLength;
    }

    /// <summary>The packet type.</summary>
    public MqttPacketType Type { get; }

    /// <summary>The low four bits of the first byte.</summary>
    public byte Flags { get; }

    /// <summary>Bytes of variable header and payload that follow the fixed header.</summary>
    public int RemainingLength { get; }

    /// <summary>Bytes of the fixed header itself (2 to 5).</summary>
    public int HeaderLength { get; }

    /// <summary>The whole packet: <see cref="HeaderLength"/> + <see cref="RemainingLength"/>.</summary>
    public int PacketLength => HeaderLength + RemainingLength;
}
