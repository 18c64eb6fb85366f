using System.Buffers.Binary;
using System.Net.Sockets;

namespace DeviceAgent.Tpm.Transport;

/// <summary>
/// swtpm (libtpms) over TCP, as started by
/// <c>swtpm socket --tpm2 --server type=tcp,port=P --ctrl type=tcp,port=P+1 --flags not-need-init,startup-clear</c>.
/// The data channel carries raw TPM commands, each sent in one write, and their responses (read
/// by the header's responseSize). The control channel (port+1) carries swtpm's CMD_* requests
/// (swtpm <c>tpm_ioctl.h</c>: a big-endian UINT32 command, its input, a UINT32 result), one
/// connection per request. Thread-safe. A dead simulator is an immediate
/// <see cref="TpmTransportException"/>, a silent one after <see cref="Timeout"/>.
/// </summary>
public sealed class SwtpmTransport : ITpmTransport
{
    private const uint CmdInit = 2;
    private const uint CmdShutdown = 3;
    private const uint CmdSetLocality = 5;
    private const uint CmdStop = 14;
    private readonly Lock _lock = new();
    private TcpClient? _data;
    private NetworkStream? _stream;

    /// <summary>Connects to the simulator's data channel.</summary>
    /// <exception cref="TpmTransportException">Nothing listens there.</exception>
    public SwtpmTransport(string host, int port, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
        Port = port;
        Timeout = timeout ?? TimeSpan.FromSeconds(60);
        lock (_lock)
            Connect();
    }

    /// <summary>The simulator's host.</summary>
    public string Host { get; }

    /// <summary>The data channel's port; the control channel is the next one.</summary>
    public int Port { get; }

    /// <summary>How long a response may take (RSA key generation on a slow CPU takes seconds).</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public byte[] Send(ReadOnlySpan<byte> command)
    {
        lock (_lock)
        {
            var stream = _stream ?? Connect();
            try
            {
                stream.Write(command);
                var header = new byte[10];
                stream.ReadExactly(header);
                var size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2));
                if (size < 10 || size > 1 << 16)
                    throw new TpmTransportException($"swtpm at {Host}:{Port} sent a response header with size {size}");
                var response = new byte[size];
                header.CopyTo(response, 0);
                stream.ReadExactly(response.AsSpan(10));
                return response;
            }
            catch (Exception ex) when (ex is IOException or SocketException or EndOfStreamException or ObjectDisposedException)
            {
                Disconnect();
                throw new TpmTransportException(
                    $"swtpm at {Host}:{Port} closed the connection or did not answer within {Timeout.TotalSeconds:0} s: is the simulator still running?", ex);
            }
        }
    }

    /// <summary>CMD_INIT: power the TPM on (a _TPM_Init); TPM2_Startup must follow unless swtpm runs with startup-clear.</summary>
    /// <exception cref="TpmTransportException">The control channel is unreachable or refused.</exception>
    public void Init(bool deleteVolatile = false)
    {
        Span<byte> flags = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(flags, deleteVolatile ? 1u : 0u);
        Control(CmdInit, flags);
    }

    /// <summary>CMD_SET_LOCALITY: the locality of the following commands.</summary>
    public void SetLocality(byte locality) => Control(CmdSetLocality, [locality]);

    /// <summary>CMD_SHUTDOWN: power the TPM off (state is kept for the next CMD_INIT).</summary>
    public void Shutdown() => Control(CmdShutdown, []);

    /// <summary>CMD_STOP: stop the TPM without powering it off, so its state can be read.</summary>
    public void Stop() => Control(CmdStop, []);

    /// <summary>
    /// Closes the data connection; the next <see cref="Send"/> reconnects. swtpm serves one client
    /// at a time, so another client (tpm2-tools) can use the simulator in between.
    /// </summary>
    public void Close()
    {
        lock (_lock)
            Disconnect();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
            Disconnect();
    }

    private NetworkStream Connect()
    {
        Disconnect();
        var client = new TcpClient { NoDelay = true, ReceiveTimeout = (int)Timeout.TotalMilliseconds, SendTimeout = (int)Timeout.TotalMilliseconds };
        try
        {
            client.Connect(Host, Port);
        }
        catch (SocketException ex)
        {
            client.Dispose();
            throw new TpmTransportException(
                $"no TPM simulator at {Host}:{Port} ({ex.SocketErrorCode}): start one with "
                + $"'swtpm socket --tpm2 --server type=tcp,port={Port} --ctrl type=tcp,port={Port + 1} --flags not-need-init,startup-clear --tpmstate dir=DIR'", ex);
        }
        _data = client;
        _stream = client.GetStream();
        return _stream;
    }

    private void Disconnect()
    {
        _stream?.Dispose();
        _data?.Dispose();
        _stream = null;
        _data = null;
    }

    private void Control(uint command, ReadOnlySpan<byte> input)
    {
        var request = new byte[4 + input.Length];
        BinaryPrimitives.WriteUInt32BigEndian(request, command);
        input.CopyTo(request.AsSpan(4));
        try
        {
            using var client = new TcpClient { NoDelay = true, ReceiveTimeout = (int)Timeout.TotalMilliseconds };
            client.Connect(Host, Port + 1);
            using var stream = client.GetStream();
            stream.Write(request);
            var result = new byte[4];
            stream.ReadExactly(result);
            var code = BinaryPrimitives.ReadUInt32BigEndian(result);
            if (code != 0)
                throw new TpmTransportException($"swtpm control channel {Host}:{Port + 1} refused command {command} with result 0x{code:X}");
        }
        catch (Exception ex) when (ex is IOException or SocketException or EndOfStreamException)
        {
            throw new TpmTransportException($"swtpm control channel {Host}:{Port + 1} is unreachable: was swtpm started with --ctrl type=tcp,port={Port + 1}?", ex);
        }
    }
}
