using System.Net.Sockets;
using System.Text;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A real mosquitto broker in its own temp directory with a generated config, plain MQTT on a
/// free 127.0.0.1 port, anonymous, no persistence, no queue or in-flight limits (a throughput
/// peer). Stopped and its directory removed on disposal.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly DirectoryInfo _directory;

    private MosquittoBroker(PeerProcess process, DirectoryInfo directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    private string LogFile => Path.Combine(_directory.FullName, "mosquitto.log");

    /// <summary>Starts mosquitto and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">mosquitto is not installed or did not start (its log in the message).</exception>
    public static async Task<MosquittoBroker> StartAsync()
    {
        var executable = ExternalProcess.Which("mosquitto") ?? ExternalProcess.Require("/usr/sbin/mosquitto", "mosquitto");
        var directory = Directory.CreateTempSubdirectory("deviceagent-mosquitto.");
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var configFile = Path.Combine(directory.FullName, "mosquitto.conf");
            await File.WriteAllTextAsync(configFile, new StringBuilder()
                .AppendLine($"user {Environment.UserName}") // as root, mosquitto would switch to "mosquitto", who cannot read the temp dir
                .AppendLine($"listener {port} 127.0.0.1")
                .AppendLine("allow_anonymous true")
                .AppendLine("persistence false")
                .AppendLine($"log_dest file {Path.Combine(directory.FullName, "mosquitto.log")}")
                .AppendLine("log_type error")
                .AppendLine("log_type warning")
                .AppendLine("max_queued_messages 100000")
                .AppendLine("max_inflight_messages 0")
                .ToString());
            var process = PeerProcess.Start(executable, ["-c", configFile]);
            var broker = new MosquittoBroker(process, directory, port);
            try
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), broker.Log);
                return broker;
            }
            catch (TimeoutException e)
            {
                var log = broker.Log();
                var exited = process.HasExited;
                await process.DisposeAsync();
                // Another process may have taken the port between FreePort and the bind: try another.
                if (exited && attempt < 3 && log.Contains("in use", StringComparison.OrdinalIgnoreCase))
                {
                    File.Delete(broker.LogFile);
                    continue;
                }
                directory.Delete(recursive: true);
                throw new InvalidOperationException($"mosquitto did not start on 127.0.0.1:{port}: {log}", e);
            }
        }
    }

    /// <summary>A fresh TCP connection to the broker (Nagle off).</summary>
    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync("127.0.0.1", Port, cancellationToken);
            return tcp.GetStream();
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Stops the broker and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private string Log() => (File.Exists(LogFile) ? File.ReadAllText(LogFile) : "") + _process.Output;
}
