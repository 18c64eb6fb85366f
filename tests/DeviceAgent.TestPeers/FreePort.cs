using System.Net;
using System.Net.Sockets;

namespace DeviceAgent.TestPeers;

/// <summary>Free TCP ports on loopback.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago (the OS picks it). Peers that race for it retry.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts TCP connections on the port.</summary>
    /// <exception cref="TimeoutException">Nothing did within the timeout.</exception>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"nothing listens on 127.0.0.1:{port} after {timeout}. {diagnostics?.Invoke()}");
    }
}
