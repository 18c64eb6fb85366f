using System.Buffers.Binary;
using System.Text;

namespace DeviceAgent.Mqtt.Codec;

/// <summary>Writes fields into a span sized by the packet's own measurement (no bounds surprises).</summary>
internal ref struct MqttBodyWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public MqttBodyWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination[_position..], value);
        _position += 2;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes a string already measured (and so validated) by <see cref="MqttUtf8.Measure"/>.</summary>
    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetBytes(value, _destination[(_position + 2)..]);
        WriteUInt16((ushort)length);
        _position += length;
    }

    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }

    public void WriteFixedHeader(MqttPacketType type, byte flags, int remainingLength)
    {
        WriteByte((byte)(((int)type << 4) | flags));
        _position += MqttRemainingLength.Write(_destination[_position..], remainingLength);
    }
}
