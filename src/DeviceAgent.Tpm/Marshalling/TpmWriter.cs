using System.Buffers.Binary;

namespace DeviceAgent.Tpm.Marshalling;

/// <summary>
/// Appends TPM 2.0 wire values: every integer big-endian (Part 1 9.2 "canonical" byte order),
/// sized buffers as a UINT16 length followed by the bytes (Part 2 10.4 TPM2B). Not thread-safe.
/// </summary>
public sealed class TpmWriter
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an empty writer.</summary>
    public TpmWriter(int capacity = 256) => _buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>The bytes written so far.</summary>
    public int Length => _length;

    /// <summary>Appends one octet.</summary>
    public TpmWriter WriteUInt8(byte value)
    {
        Span(1)[0] = value;
        return this;
    }

    /// <summary>Appends a UINT16.</summary>
    public TpmWriter WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Span(2), value);
        return this;
    }

    /// <summary>Appends a UINT32.</summary>
    public TpmWriter WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Span(4), value);
        return this;
    }

    /// <summary>Appends a UINT64.</summary>
    public TpmWriter WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Span(8), value);
        return this;
    }

    /// <summary>Appends bytes as they are (no size prefix).</summary>
    public TpmWriter WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(Span(value.Length));
        return this;
    }

    /// <summary>Appends a TPM2B: UINT16 size, then the bytes (Part 2 10.4).</summary>
    /// <exception cref="TpmFormatException">More than 65535 bytes.</exception>
    public TpmWriter WriteTpm2b(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
            throw new TpmFormatException($"a TPM2B holds at most 65535 bytes, not {value.Length} (TPM 2.0 Part 2 10.4)");
        WriteUInt16((ushort)value.Length);
        return WriteBytes(value);
    }

    /// <summary>
    /// Appends a sized structure (TPM2B_PUBLIC, TPM2B_SENSITIVE_CREATE, TPM2B_ECC_POINT...): the
    /// UINT16 size of what <paramref name="body"/> writes, then those bytes.
    /// </summary>
    public TpmWriter WriteSized(Action<TpmWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var at = _length;
        WriteUInt16(0);
        body(this);
        var size = _length - at - 2;
        if (size > ushort.MaxValue)
            throw new TpmFormatException($"a sized structure holds at most 65535 bytes, not {size} (TPM 2.0 Part 2 10.4)");
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at, 2), (ushort)size);
        return this;
    }

    /// <summary>Overwrites a UINT32 written earlier (the commandSize of a command header).</summary>
    public void PatchUInt32(int offset, uint value)
    {
        if (offset < 0 || offset + 4 > _length)
            throw new ArgumentOutOfRangeException(nameof(offset));
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(offset, 4), value);
    }

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    /// <summary>The bytes written, without copying; valid until the next write.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    private Span<byte> Span(int count)
    {
        if (_length + count > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
