using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>CONNACK (section 3.2): the server's answer to CONNECT.</summary>
/// <param name="returnCode">0 accepts; anything else refuses (and the server closes the connection).</param>
/// <param name="sessionPresent">Whether the server resumes a stored session (always false when refusing [MQTT-3.2.2-4]).</param>
public sealed class MqttConnAckPacket(MqttConnectReturnCode returnCode, bool sessionPresent = false) : MqttPacket
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    /// <summary>The return code; values 6-255 are reserved.</summary>
    public MqttConnectReturnCode ReturnCode { get; } = returnCode;

    /// <summary>Whether the server has a stored session for this client.</summary>
    public bool SessionPresent { get; } = sessionPresent;

    internal override int MeasureBody()
    {
        if (SessionPresent && ReturnCode != MqttConnectReturnCode.Accepted)
            throw new MqttProtocolException(Type, "session present", "is set with a non-zero return code", "MQTT-3.2.2-4");
        return 2;
    }

    internal override void WriteBody(ref MqttBodyWriter writer)
    {
        writer.WriteByte(SessionPresent ? (byte)1 : (byte)0);
        writer.WriteByte((byte)ReturnCode);
    }

    internal static MqttConnAckPacket Decode(ReadOnlySpan<byte> body)
    {
        var reader = new MqttBodyReader(body, MqttPacketType.ConnAck);
        var flags = reader.ReadByte("acknowledge flags");
        if ((flags & 0xFE) != 0)
            throw reader.Malformed("acknowledge flags", $"reserved bits 7-1 are set (0x{flags:X2})", "MQTT-3.2.2.1");
        var code = (MqttConnectReturnCode)reader.ReadByte("return code");
        var sessionPresent = (flags & 1) != 0;
        if (sessionPresent && code != MqttConnectReturnCode.Accepted)
            throw reader.Malformed("session present", "is set with a non-zero return code", "MQTT-3.2.2-4");
        return new MqttConnAckPacket(code, sessionPresent);
    }

    /// <inheritdoc/>
    public override string ToString() => $"CONNACK {ReturnCode} sessionPresent={SessionPresent}";
}
