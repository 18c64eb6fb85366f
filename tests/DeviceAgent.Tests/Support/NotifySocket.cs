using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace DeviceAgent.Tests.Support;

/// <summary>A unix datagram socket standing in for systemd's notify socket; collects what the agent says.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly CancellationTokenSource _stop = new();

    public NotifySocket(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _ = Task.Run(ReceiveAsync);
    }

    public string Path { get; }

    public IReadOnlyList<string> Messages => [.. _messages];

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                _messages.Enqueue(Encoding.UTF8.GetString(buffer, 0, received));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
        File.Delete(Path);
    }
}
