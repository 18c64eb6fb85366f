using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>SUBACK (section 3.9): one return code per filter of the SUBSCRIBE, in order [MQTT-3.9.3-1].</summary>
public sealed class MqttSubAckPacket : MqttPacket
{
    /// <summary>Creates the packet.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="returnCodes"/> is null.</exception>
    public MqttSubAckPacket(ushort packetId, IEnumerable<MqttSubscribeReturnCode> returnCodes)
    {
        ArgumentNullException.ThrowIfNull(returnCodes);
        PacketId = packetId;
        ReturnCodes = [.. returnCodes];
    }

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.SubAck;

    /// <summary>The identifier of the SUBSCRIBE this answers.</summary>
    public ushort PacketId { get; }

    /// <summary>The granted QoS or failure, per requested filter.</summary>
    public IReadOnlyList<MqttSubscribeReturnCode> ReturnCodes { get; }

    internal override int MeasureBody()
    {
        if (PacketId == 0)
            throw new MqttProtocolException(Type, "packet identifier", "is 0", "MQTT-2.3.1-1");
        if (ReturnCodes.Count == 0)
            throw new MqttProtocolException(Type, "payload", "has no return code", "MQTT-3.9.3-1");
        foreach (var code in ReturnCodes)
        {
            if (!IsValid((byte)code))
                throw new MqttProtocolException(Type, "return code", $"0x{(byte)code:X2} is reserved", "MQTT-3.9.3-2");
        }
        return 2 + ReturnCodes.Count;
    }

    internal override void WriteBody(ref MqttBodyWriter writer)
    {
        writer.WriteUInt16(PacketId);
        foreach (var code in ReturnCodes)
            writer.WriteByte((byte)code);
    }

    internal static MqttSubAckPacket Decode(ReadOnlySpan<byte> body)
    {
        var reader = new MqttBodyReader(body, MqttPacketType.SubAck);
        var id = reader.ReadPacketIdentifier();
        if (reader.End)
            throw reader.Malformed("payload", "has no return code", "MQTT-3.9.3-1");
        var codes = new List<MqttSubscribeReturnCode>(reader.Remaining);
        while (!reader.End)
        {
            var code = reader.ReadByte("return code");
            if (!IsValid(code))
                throw reader.Malformed("return code", $"0x{code:X2} is reserved", "MQTT-3.9.3-2");
            codes.Add((MqttSubscribeReturnCode)code);
        }
        return new MqttSubAckPacket(id, codes);
    }

    private static bool IsValid(byte code) => code is 0 or 1 or 2 or 0x80;

    /// <inheritdoc/>
    public override string ToString() => $"SUBACK id={PacketId} [{string.Join(", ", ReturnCodes)}]";
}
