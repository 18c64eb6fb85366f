using System.Buffers.Binary;

namespace DeviceAgent.Mqtt.Codec;

/// <summary>
/// Reads the variable header and payload of one packet whose remaining length has been
/// delimited already: every field is bounded by it, so a length prefix that claims more than the
/// packet holds is an error, never a wait or an allocation.
/// </summary>
internal ref struct MqttBodyReader
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly MqttPacketType _type;
    private int _position;

    public MqttBodyReader(ReadOnlySpan<byte> body, MqttPacketType type)
    {
        _body = body;
        _type = type;
        _position = 0;
    }

    public readonly bool End => _position == _body.Length;

    public readonly int Remaining => _body.Length - _position;

    public byte ReadByte(string field) => Take(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    /// <summary>A packet identifier, which is never 0 [MQTT-2.3.1-1].</summary>
    public ushort ReadPacketIdentifier()
    {
        var id = ReadUInt16("packet identifier");
        if (id == 0)
            throw Malformed("packet identifier", "is 0", "MQTT-2.3.1-1");
        return id;
    }

    /// <summary>Two-byte length, then that many bytes (section 1.5.3 framing, also used for binary data).</summary>
    public ReadOnlySpan<byte> ReadBinary(string field)
    {
        if (Remaining < 2)
            throw Malformed(field, $"has no room for its 2-byte length: the remaining length leaves {Remaining} byte(s)", "MQTT-2.2.3");
        var length = BinaryPrimitives.ReadUInt16BigEndian(_body[_position..]);
        _position += 2;
        return Take(length, field);
    }

    /// <summary>A UTF-8 encoded string, validated per section 1.5.3.</summary>
    public ReadOnlySpan<byte> ReadUtf8(string field)
    {
        var utf8 = ReadBinary(field);
        MqttUtf8.Validate(utf8, _type, field);
        return utf8;
    }

    public string ReadString(string field) => MqttUtf8.Decode(ReadUtf8(field));

    public ReadOnlySpan<byte> ReadToEnd()
    {
        var rest = _body[_position..];
        _position = _body.Length;
        return rest;
    }

    /// <exception cref="MqttProtocolException">Bytes are left over.</exception>
    public readonly void ExpectEnd(string field, string rule)
    {
        if (!End)
            throw Malformed(field, $"{Remaining} unexpected byte(s) after the last field", rule);
    }

    public readonly MqttProtocolException Malformed(string field, string reason, string rule) =>
        new(_type, field, reason, rule);

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
            throw Malformed(field, $"needs {count} byte(s) but the remaining length leaves {Remaining}", "MQTT-2.2.3");
        var span = _body.Slice(_position, count);
        _position += count;
        return span;
    }
}
