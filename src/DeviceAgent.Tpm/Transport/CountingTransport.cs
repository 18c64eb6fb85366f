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
    private int _busy;

    /// <summary>All commands sent.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>How many commands with this code were sent.</summary>
    public int CountOf(TpmCc command) => _counts.TryGetValue(command, out var count) ? count : 0;

    /// <summary>A snapshot of the counts.</summary>
    public IReadOnlyDictionary<TpmCc, int> Snapshot() => new Dictionary<TpmCc, int>(_counts);

    /// <summary>
    /// Responses that were TPM_RC_RETRY, YIELDED or TESTING: the command did not run and the stack
    /// sent it again (swtpm answers the first TPM2_Sign after an NV write with TPM_RC_RETRY).
    /// </summary>
    public int BusyResponses => Volatile.Read(ref _busy);

    /// <summary>Sets every count to zero.</summary>
    public void Reset()
    {
        _counts.Clear();
        Volatile.Write(ref _busy, 0);
        Volatile.Write(ref _total, 0);
    }

    /// <inheritdoc />
    public byte[] Send(ReadOnlySpan<byte> command)
    {
        if (command.Length >= 10)
            _counts.AddOrUpdate((TpmCc)BinaryPrimitives.ReadUInt32BigEndian(command[6..]), 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
        var response = inner.Send(command);
        if (response.Length >= 10 && new TpmResponseCode(BinaryPrimitives.ReadUInt32BigEndian(response.AsSpan(6))).Code is TpmRc.Retry or TpmRc.Yielded or TpmRc.Testing)
            Interlocked.Increment(ref _busy);
        return response;
    }

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();
}
