using System.Buffers.Binary;

namespace DeviceAgent.Tpm.Marshalling;

/// <summary>
/// Reads TPM 2.0 wire values from a buffer (big-endian integers, TPM2B sized buffers). Every
/// read checks the remaining length and throws <see cref="TpmFormatException"/> naming what was
/// being read and where, so a truncated or hostile response never reads past its end. A failed
/// read consumes nothing. Not thread-safe.
/// </summary>
public sealed class TpmReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly string _what;

    /// <summary>Reads <paramref name="data"/>, which holds a <paramref name="what"/> (for messages).</summary>
    public TpmReader(ReadOnlyMemory<byte> data, string what = "TPM data")
    {
        _data = data;
        _what = what;
    }

    /// <summary>The offset of the next byte to read.</summary>
    public int Position { get; private set; }

    /// <summary>The bytes left.</summary>
    public int Remaining => _data.Length - Position;

    /// <summary>Reads one octet.</summary>
    public byte ReadUInt8(string field = "UINT8") => Take(1, field).Span[0];

    /// <summary>Reads a UINT16.</summary>
    public ushort ReadUInt16(string field = "UINT16") => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field).Span);

    /// <summary>Reads a UINT32.</summary>
    public uint ReadUInt32(string field = "UINT32") => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field).Span);

    /// <summary>Reads a UINT64.</summary>
    public ulong ReadUInt64(string field = "UINT64") => BinaryPrimitives.ReadUInt64BigEndian(Take(8, field).Span);

    /// <summary>Reads <paramref name="count"/> bytes.</summary>
    public byte[] ReadBytes(int count, string field = "bytes") => Take(count, field).ToArray();

    /// <summary>Reads a TPM2B (UINT16 size, then that many bytes).</summary>
    public byte[] ReadTpm2b(string field = "TPM2B")
    {
        var start = Position;
        var size = ReadUInt16(field + ".size");
        if (size > Remaining)
        {
            Position = start;
            throw Truncated(field, size);
        }
        return ReadBytes(size, field);
    }

    /// <summary>
    /// Reads a sized structure: its UINT16 size, then a reader over exactly that many bytes,
    /// which the caller parses and closes with <see cref="ExpectEnd"/>.
    /// </summary>
    public TpmReader ReadSized(string field)
    {
        var start = Position;
        var size = ReadUInt16(field + ".size");
        if (size > Remaining)
        {
            Position = start;
            throw Truncated(field, size);
        }
        return new TpmReader(Take(size, field), field);
    }

    /// <summary>Fails unless every byte was consumed.</summary>
    /// <exception cref="TpmFormatException">Bytes are left over.</exception>
    public void ExpectEnd()
    {
        if (Remaining != 0)
            throw new TpmFormatException($"{_what}: {Remaining} unexpected trailing byte(s) at offset {Position}");
    }

    private ReadOnlyMemory<byte> Take(int count, string field)
    {
        if (count < 0 || count > Remaining)
            throw Truncated(field, count);
        var slice = _data.Slice(Position, count);
        Position += count;
        return slice;
    }

    private TpmFormatException Truncated(string field, int wanted) =>
        new($"{_what}: truncated at offset {Position} reading {field} ({wanted} byte(s) wanted, {Remaining} left)");
}
