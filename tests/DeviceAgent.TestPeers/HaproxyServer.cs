using System.Globalization;
using System.Text;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A real HAProxy in TCP mode (TLS passes through, so a device's chain reaches the endpoint) in a
/// fresh temp dir: one frontend per <see cref="Route"/> on a free 127.0.0.1 port, balancing over the
/// route's backend ports with health checks every 500 ms (a killed instance leaves the rotation
/// within about a second; connections in flight to it fail and the device retries). Stopped and
/// removed on disposal.
/// </summary>
public sealed class HaproxyServer : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly DirectoryInfo _directory;

    private HaproxyServer(PeerProcess process, DirectoryInfo directory, IReadOnlyDictionary<string, int> ports)
    {
        _process = process;
        _directory = directory;
        Ports = ports;
    }

    /// <summary>A frontend: its name and the 127.0.0.1 ports of its backend servers.</summary>
    public sealed record Route(string Name, IReadOnlyList<int> Backends, int Port = 0);

    /// <summary>The frontend port of each route, by name.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>What HAProxy printed (for failure messages).</summary>
    public string Output => _process.Output;

    /// <summary>Starts HAProxy with a frontend per route (on the route's port, or a free one) and waits until each listens.</summary>
    /// <exception cref="InvalidOperationException">HAProxy is not installed or did not start.</exception>
    public static async Task<HaproxyServer> StartAsync(IReadOnlyList<Route> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var executable = ExternalProcess.Which("haproxy") ?? ExternalProcess.Require("/usr/sbin/haproxy", "haproxy");
        var directory = Directory.CreateTempSubdirectory("deviceagent-haproxy.");
        var ports = routes.ToDictionary(r => r.Name, r => r.Port > 0 ? r.Port : FreePort.Next(), StringComparer.Ordinal);
        var config = new StringBuilder()
            .AppendLine("global")
            .AppendLine("  maxconn 4096")
            .AppendLine("defaults")
            .AppendLine("  mode tcp")
            .AppendLine("  timeout connect 2s")
            .AppendLine("  timeout client 60s")
            .AppendLine("  timeout server 60s")
            .AppendLine("  retries 2")
            .AppendLine("  option redispatch");
        foreach (var route in routes)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"frontend {route.Name}")
                .AppendLine(CultureInfo.InvariantCulture, $"  bind 127.0.0.1:{ports[route.Name]}")
                .AppendLine(CultureInfo.InvariantCulture, $"  default_backend {route.Name}_instances")
                .AppendLine(CultureInfo.InvariantCulture, $"backend {route.Name}_instances")
                .AppendLine("  balance roundrobin");
            for (var i = 0; i < route.Backends.Count; i++)
                config.AppendLine(CultureInfo.InvariantCulture, $"  server instance{i} 127.0.0.1:{route.Backends[i]} check inter 500ms fall 1 rise 2");
        }
        var file = Path.Combine(directory.FullName, "haproxy.cfg");
        await File.WriteAllTextAsync(file, config.ToString());
        var process = PeerProcess.Start(executable, ["-db", "-f", file]);
        var server = new HaproxyServer(process, directory, ports);
        try
        {
            foreach (var port in ports.Values)
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), () => process.Output);
            return server;
        }
        catch (TimeoutException e)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"HAProxy did not start: {process.Output}", e);
        }
    }

    /// <summary>Stops it and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Delete(recursive: true);
    }
}
