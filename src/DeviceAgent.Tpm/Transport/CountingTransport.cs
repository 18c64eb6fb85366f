using System.Buffers.Binary;
using System.Collections.Concurrent;
using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm.Transport;

/// <summary>
/// A decorator that counts the commands that cross the wire, by command code (the UINT32 at
/// offset 6 of every command header). It proves claims such as "exactly one TPM2_Sign per TLS
/// handshake". Thread-safe; disposing it disposes the inner transport.
/// </summary>
public sealed class CountingTransport(ITpmTransport inner) : ITpmTransport
{
    private readonly ConcurrentDictionary<TpmCc, int> _counts = new();
    private int _total;

    /// <summary>All commands sent.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>How many commands with this code were sent.</summary>
    public int CountOf(TpmCc command) => _counts.TryGetValue(command, out var count) ? count : 0;

    /// <summary>A snapshot of the counts.</summary>
    public IReadOnlyDictionary<TpmCc, int> Snapshot() => new Dictionary<TpmCc, int>(_counts);

    /// <summary>Sets every count to zero.</summary>
    public void Reset()
    {
        _counts.Clear();
        Volatile.Write(ref _total, 0);
    }

    /// <inheritdoc />
    public byte[] Send(ReadOnlySpan<byte> command)
    {
        if (command.Length >= 10)
            _counts.AddOrUpdate((TpmCc)BinaryPrimitives.ReadUInt32BigEndian(command[6..]), 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
        return inner.Send(command);
    }

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();
}
