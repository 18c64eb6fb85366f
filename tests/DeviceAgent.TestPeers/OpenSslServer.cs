using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.TestPeers;

/// <summary>
/// <c>openssl s_server</c> on a free loopback port, requiring a client certificate that verifies
/// against <c>-CAfile</c> (<c>-Verify 3 -verify_return_error</c>), answering each connection with
/// its <c>-www</c> status page. Stopped and its files removed on disposal.
/// </summary>
public sealed class OpenSslServer : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly string _directory;

    private OpenSslServer(PeerProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The loopback port it accepts on.</summary>
    public int Port { get; }

    /// <summary>The server certificate's issuer (self-signed): what clients must trust.</summary>
    public X509Certificate2 ServerCertificate { get; private set; } = null!;

    /// <summary>Everything s_server printed so far (verify errors appear here).</summary>
    public string Output => _process.Output;

    /// <summary>Starts s_server trusting only <paramref name="clientCa"/> for client certificates.</summary>
    /// <exception cref="InvalidOperationException">openssl is missing or did not start.</exception>
    public static async Task<OpenSslServer> StartAsync(X509Certificate2 clientCa, string serverName = "localhost", IEnumerable<string>? extraArguments = null)
    {
        ArgumentNullException.ThrowIfNull(clientCa);
        var openssl = ExternalProcess.Require("openssl", "openssl");
        var directory = System.IO.Directory.CreateTempSubdirectory("deviceagent-s_server.").FullName;
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={serverName}", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(serverName);
        request.CertificateExtensions.Add(san.Build());
        var serverCertificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(directory, "server.pem"), serverCertificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(Path.Combine(directory, "client-ca.pem"), clientCa.ExportCertificatePem());

        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var arguments = new List<string>
            {
                "s_server", "-accept", $"127.0.0.1:{port}", "-cert", "server.pem", "-key", "server.key",
                "-Verify", "3", "-verify_return_error", "-CAfile", "client-ca.pem", "-www",
            };
            arguments.AddRange(extraArguments ?? []);
            var process = PeerProcess.Start(openssl, arguments, directory);
            var server = new OpenSslServer(process, directory, port) { ServerCertificate = serverCertificate };
            try
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), () => server.Output);
                return server;
            }
            catch (TimeoutException) when (attempt < 3 && process.HasExited)
            {
                await server.DisposeAsync(keepDirectory: true);
            }
        }
    }

    /// <summary>Stops the server and removes its files.</summary>
    public ValueTask DisposeAsync() => DisposeAsync(keepDirectory: false);

    private async ValueTask DisposeAsync(bool keepDirectory)
    {
        await _process.DisposeAsync();
        if (!keepDirectory)
        {
            System.IO.Directory.Delete(_directory, recursive: true);
            ServerCertificate?.Dispose();
        }
    }
}
