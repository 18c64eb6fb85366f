using System.Net;
using System.Net.Sockets;

namespace DeviceAgent.TestPeers;

/// <summary>Free TCP ports on loopback.</summary>
public static class FreePort
{
    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>
    /// A port that was free a moment ago (the OS picks it), never one this process was given
    /// before: the OS may offer a released port again at once, and two peers of one test would
    /// then race for it. Peers that race with other processes retry.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (s_handedOut)
            {
                if (s_handedOut.Add(port))
                    return port;
            }
        }
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
