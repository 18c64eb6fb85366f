using System.Net;
using System.Net.Sockets;

namespace DeviceAgent.TestPeers;

/// <summary>What a <see cref="FaultProxy"/> does to the connections it accepts.</summary>
public enum ProxyFault
{
    /// <summary>Forwards faithfully (after <see cref="FaultProxy.Latency"/>).</summary>
    None,

    /// <summary>Forwards the client's first bytes (a TLS ClientHello) to the server, then resets both sides (RST).</summary>
    ResetMidHandshake,

    /// <summary>Accepts, then closes at once without forwarding anything.</summary>
    Drop,
}

/// <summary>
/// A TCP proxy on a free loopback port in front of a real server (the endpoint's DPS or hub
/// listener) that injects faults: latency on every forwarded chunk, a reset in the middle of the
/// TLS handshake, dropped connections. <see cref="FaultCount"/> connections get <see cref="Fault"/>,
/// the rest are forwarded. Counts what it did. Disposing stops it and closes every connection.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _accepted;
    private int _faulted;

    /// <summary>Starts the proxy in front of <paramref name="targetHost"/>:<paramref name="targetPort"/>.</summary>
    public FaultProxy(string targetHost, int targetPort, ProxyFault fault = ProxyFault.None, int faultCount = int.MaxValue)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        Fault = fault;
        FaultCount = faultCount;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port it listens on (127.0.0.1; "localhost" reaches it, so TLS names still match).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The fault applied to the first <see cref="FaultCount"/> connections.</summary>
    public ProxyFault Fault { get; set; }

    /// <summary>How many connections get <see cref="Fault"/>.</summary>
    public int FaultCount { get; set; }

    /// <summary>Delay before each chunk is forwarded, both ways.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections that got the fault.</summary>
    public int Faulted => Volatile.Read(ref _faulted);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            var fault = Interlocked.Increment(ref _faulted) <= FaultCount ? Fault : ProxyFault.None;
            if (fault == ProxyFault.None)
                Interlocked.Decrement(ref _faulted);
            lock (_connections)
                _connections.Add(HandleAsync(client, fault));
        }
    }

    private async Task HandleAsync(TcpClient client, ProxyFault fault)
    {
        using (client)
        {
            if (fault == ProxyFault.Drop)
                return;
            using var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                var clientStream = client.GetStream();
                var serverStream = server.GetStream();
                if (fault == ProxyFault.ResetMidHandshake)
                {
                    var hello = new byte[16 * 1024];
                    var read = await clientStream.ReadAsync(hello, _stop.Token);
                    await serverStream.WriteAsync(hello.AsMemory(0, read), _stop.Token);
                    // SO_LINGER 0: close sends RST instead of FIN, to both sides.
                    client.Client.LingerState = new LingerOption(true, 0);
                    server.Client.LingerState = new LingerOption(true, 0);
                    return;
                }
                using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = PumpAsync(clientStream, serverStream, either.Token);
                var down = PumpAsync(serverStream, clientStream, either.Token);
                await Task.WhenAny(up, down);
                await either.CancelAsync();
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // The proxy stopped, or a side went away: closing both is all there is to do.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (Latency > TimeSpan.Zero)
                    await Task.Delay(Latency, cancellationToken);
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
            connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
