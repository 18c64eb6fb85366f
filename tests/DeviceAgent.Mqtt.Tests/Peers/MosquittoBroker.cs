using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DeviceAgent.Mqtt.Tests.Peers;

/// <summary>
/// A real mosquitto broker for one test class: its own temp directory and generated config,
/// a free port on 127.0.0.1, plain TCP or TLS with <c>require_certificate true</c>; stopped
/// and removed on disposal. <see cref="RestartAsync"/> stops it (SIGTERM, so a persistent
/// broker saves its sessions) and starts it again on the same port.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _executable;
    private readonly DirectoryInfo _directory;
    private readonly string _config;
    private Process? _process;

    private MosquittoBroker(string executable, DirectoryInfo directory, string config, int port, TestCertificates? certificates)
    {
        _executable = executable;
        _directory = directory;
        _config = config;
        Port = port;
        Certificates = certificates;
    }

    public int Port { get; }

    /// <summary>The PKI when the broker speaks TLS; null for plain TCP.</summary>
    public TestCertificates? Certificates { get; }

    public string LogFile => Path.Combine(_directory.FullName, "mosquitto.log");

    public static async Task<MosquittoBroker> StartAsync(bool tls = false, bool persistence = false)
    {
        var executable = PeerTools.Require("mosquitto", "apt-get install mosquitto");
        var certificates = tls ? TestCertificates.Create() : null;
        var directory = Directory.CreateTempSubdirectory("deviceagent-mosquitto-");
        var port = PeerTools.FreePort();
        var config = new StringBuilder()
            .AppendLine($"user {Environment.UserName}") // as root, mosquitto would switch to "mosquitto", who cannot read the temp dir
            .AppendLine($"listener {port} 127.0.0.1")
            .AppendLine("allow_anonymous true")
            .AppendLine($"persistence {(persistence ? "true" : "false")}")
            .AppendLine($"persistence_location {directory.FullName}/")
            .AppendLine($"log_dest file {Path.Combine(directory.FullName, "mosquitto.log")}")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("max_queued_messages 100000")
            .AppendLine("max_inflight_messages 0");
        if (certificates is not null)
        {
            var (caFile, certFile, keyFile) = certificates.WritePem(directory.FullName);
            config.AppendLine($"cafile {caFile}")
                .AppendLine($"certfile {certFile}")
                .AppendLine($"keyfile {keyFile}")
                .AppendLine("require_certificate true")
                .AppendLine("use_identity_as_username true");
        }
        var configFile = Path.Combine(directory.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(configFile, config.ToString());
        var broker = new MosquittoBroker(executable, directory, configFile, port, certificates);
        try
        {
            await broker.LaunchAsync();
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh connection to the broker: TCP, or TLS presenting the client certificate.</summary>
    public ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken) => ConnectAsync(true, cancellationToken);

    /// <summary>As <see cref="ConnectAsync(CancellationToken)"/>; over TLS, optionally without a client certificate.</summary>
    public async ValueTask<Stream> ConnectAsync(bool presentClientCertificate, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync("127.0.0.1", Port, cancellationToken);
            if (Certificates is null)
                return tcp.GetStream();
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = presentClientCertificate ? new X509CertificateCollection { Certificates.Client } : null,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => Certificates.IsIssuedByCa(certificate),
            }, cancellationToken);
            return tls;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>SIGTERM and wait: the broker saves a persistent database and closes every connection.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    private async Task LaunchAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var process = PeerTools.Start(_executable, ["-c", _config]);
            _process = process;
            try
            {
                await PeerTools.WaitForListenerAsync(Port, TimeSpan.FromSeconds(10), () => process.HasExited);
            }
            catch (TimeoutException)
            {
                // Reported below.
            }
            if (!process.HasExited)
                return;
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : string.Empty;
            var stderr = await process.StandardError.ReadToEndAsync();
            process.Dispose();
            _process = null;
            // Right after a stop the port may still be held for a moment: try again, briefly.
            if (attempt < 20 && (log + stderr).Contains("in use", StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(100);
                continue;
            }
            throw new InvalidOperationException($"mosquitto did not start on port {Port}: {stderr} {log}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null && !_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        Certificates?.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
