using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DeviceAgent.TestPeers;

/// <summary>
/// Lets tss.js (the TPM stack of the official Node.js SDK's azure-iot-security-tpm) reach a
/// <see cref="Swtpm"/>. With no /dev/tpm0 or /dev/tpmrm0, tss.js falls back to a user-mode TPM
/// resource manager at 127.0.0.1:2323 (a port it does not let its caller choose), speaking the TPM
/// simulator's framing: command = u32 8 (TPM_SEND_COMMAND) || u8 locality || u8 debug || u8 sent ||
/// u32 length || command; response = u32 length || response || u32 0 (ack). swtpm speaks bare TPM
/// commands, so this bridge unwraps each frame, forwards the command and wraps the response. One
/// client at a time (swtpm serves one). Dispose stops listening.
/// </summary>
public sealed class TrmBridge : IDisposable
{
    /// <summary>The port tss.js dials.</summary>
    public const int Port = 2323;

    private readonly TcpListener _listener;
    private readonly Swtpm _tpm;
    private readonly CancellationTokenSource _stop = new();

    private TrmBridge(TcpListener listener, Swtpm tpm)
    {
        _listener = listener;
        _tpm = tpm;
        _ = Task.Run(() => AcceptAsync(_stop.Token));
    }

    /// <summary>Listens on 127.0.0.1:2323 for <paramref name="tpm"/>.</summary>
    /// <exception cref="InvalidOperationException">Port 2323 is taken (another bridge or a resource manager runs).</exception>
    public static TrmBridge Start(Swtpm tpm)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        var listener = new TcpListener(IPAddress.Loopback, Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new InvalidOperationException($"port {Port} (tss.js's fixed resource-manager port) is taken: {e.Message}", e);
        }
        return new TrmBridge(listener, tpm);
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            using (client)
            {
                try
                {
                    await ServeAsync(client.GetStream(), cancellationToken);
                }
                catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or OperationCanceledException)
                {
                    // The client went away: accept the next one.
                }
            }
        }
    }

    private async Task ServeAsync(NetworkStream client, CancellationToken cancellationToken)
    {
        using var tpm = new TcpClient();
        await tpm.ConnectAsync(IPAddress.Loopback, _tpm.Port, cancellationToken);
        var device = tpm.GetStream();
        var header = new byte[4 + 1 + 2 + 4];
        while (true)
        {
            await client.ReadExactlyAsync(header, cancellationToken);
            var code = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (code != 8)
                throw new IOException($"tss.js sent TPM simulator command {code}; the bridge serves TPM_SEND_COMMAND (8) only");
            var command = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(7))];
            await client.ReadExactlyAsync(command, cancellationToken);
            await device.WriteAsync(command, cancellationToken);
            var responseHeader = new byte[10];
            await device.ReadExactlyAsync(responseHeader, cancellationToken);
            var response = new byte[BinaryPrimitives.ReadUInt32BigEndian(responseHeader.AsSpan(2))];
            responseHeader.CopyTo(response, 0);
            await device.ReadExactlyAsync(response.AsMemory(10), cancellationToken);
            var frame = new byte[4 + response.Length + 4];
            BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)response.Length);
            response.CopyTo(frame, 4);
            await client.WriteAsync(frame, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }
}
