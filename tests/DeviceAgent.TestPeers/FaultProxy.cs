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

    /// <summary>
    /// Half-open: accepts and reads what the client sends, but forwards nothing either way and never
    /// closes (no FIN, no RST), as a link whose far end vanished. Ends only when the proxy is disposed.
    /// </summary>
    HalfOpen,

    /// <summary>
    /// A peer that reads nothing: accepts with a small receive buffer and never reads, so the client's
    /// sends fill the buffers and then block. Never closes; ends only when the proxy is disposed.
    /// </summary>
    SilentReader,
}

/// <summary>
/// A TCP proxy on a free loopback port in front of a real server (the endpoint's DPS or hub
/// listener) that injects faults: latency on every forwarded chunk, a reset in the middle of the
/// TLS handshake, dropped connections, half-open connections, a peer that reads nothing.
/// <see cref="FaultCount"/> connections get <see cref="Fault"/>, the rest are forwarded;
/// <see cref="Break"/> turns the connections already forwarding half-open or silent. Counts what it
/// did. Thread-safe. Disposing stops it and closes every connection.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private readonly List<Link> _links = [];
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

    /// <summary>Connections forwarding now (not broken, not closed).</summary>
    public int Forwarding
    {
        get
        {
            lock (_links)
                return _links.Count(l => l.Fault == ProxyFault.None);
        }
    }

    /// <summary>
    /// Breaks every connection forwarding now with <paramref name="fault"/> (<see cref="ProxyFault.HalfOpen"/>:
    /// what either side sends is read and dropped; <see cref="ProxyFault.SilentReader"/>: neither side is
    /// read any more), without closing anything. A broken connection stays broken; new ones follow
    /// <see cref="Fault"/>. Returns how many were broken.
    /// </summary>
    public int Break(ProxyFault fault)
    {
        if (fault is not (ProxyFault.HalfOpen or ProxyFault.SilentReader))
            throw new ArgumentOutOfRangeException(nameof(fault), fault, "only HalfOpen and SilentReader break a connection in place");
        lock (_links)
        {
            var broken = 0;
            foreach (var link in _links.Where(l => l.Fault == ProxyFault.None))
            {
                link.Fault = fault;
                broken++;
            }
            return broken;
        }
    }

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
            if (fault is ProxyFault.HalfOpen or ProxyFault.SilentReader)
            {
                await HoldAsync(client, fault);
                return;
            }
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
                var link = new Link();
                lock (_links)
                    _links.Add(link);
                try
                {
                    using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    var up = PumpAsync(link, clientStream, serverStream, either.Token);
                    var down = PumpAsync(link, serverStream, clientStream, either.Token);
                    await Task.WhenAny(up, down);
                    await either.CancelAsync();
                    await Task.WhenAll(up, down);
                }
                finally
                {
                    lock (_links)
                        _links.Remove(link);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // The proxy stopped, or a side went away: closing both is all there is to do.
            }
        }
    }

    // A connection accepted broken: half-open reads and drops, a silent reader reads nothing. Neither closes.
    private async Task HoldAsync(TcpClient client, ProxyFault fault)
    {
        try
        {
            if (fault == ProxyFault.SilentReader)
            {
                client.Client.ReceiveBufferSize = 4096;
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            var sink = new byte[16 * 1024];
            var stream = client.GetStream();
            while (await stream.ReadAsync(sink, _stop.Token) > 0)
            {
            }
            // The client closed its side: a vanished peer answers nothing, not even FIN.
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Link link, NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (Latency > TimeSpan.Zero)
                    await Task.Delay(Latency, cancellationToken);
                switch (link.Fault)
                {
                    case ProxyFault.HalfOpen:
                        continue; // read and dropped
                    case ProxyFault.SilentReader:
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                        break;
                    default:
                        await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                        break;
                }
            }
            // A broken link never passes the end on: the other side hears nothing, not even FIN.
            if (link.Fault != ProxyFault.None)
                await Task.Delay(Timeout.Infinite, cancellationToken);
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

    // One forwarded connection; Fault changes once, from None to how Break broke it (read under the pumps without a lock: a volatile field).
    private sealed class Link
    {
        private volatile ProxyFault _fault;

        public ProxyFault Fault
        {
            get => _fault;
            set => _fault = value;
        }
    }
}
