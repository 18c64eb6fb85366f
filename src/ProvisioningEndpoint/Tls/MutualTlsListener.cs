using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Attestation;

namespace ProvisioningEndpoint.Tls;

/// <summary>
/// Accepts TCP connections, completes a TLS handshake that requires a client certificate, and
/// hands the stream and the certificates the client actually sent (<see cref="PresentedChain"/>)
/// to a handler. Trust is not decided here: DPS accepts the handshake and judges the chain at
/// registration, so that a device gets a DPS error it can act on rather than a TLS alert. The TLS
/// stack has already checked the CertificateVerify (possession of the leaf's key).
/// </summary>
public sealed partial class MutualTlsListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly SslStreamCertificateContext _serverCertificate;
    private readonly Func<SslStream, PresentedChain, CancellationToken, Task> _handler;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _connections = [];
    private readonly Lock _gate = new();
    private Task? _acceptLoop;

    /// <summary>Creates a listener; <see cref="Start"/> begins accepting.</summary>
    public MutualTlsListener(string name, IPEndPoint endpoint, SslStreamCertificateContext serverCertificate,
        Func<SslStream, PresentedChain, CancellationToken, Task> handler, ILogger logger)
    {
        _name = name;
        _listener = new TcpListener(endpoint);
        _serverCertificate = serverCertificate;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>The port it listens on (the OS's choice when 0 was asked).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Handshakes longer than this are abandoned.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Starts accepting.</summary>
    /// <exception cref="SocketException">The port cannot be bound.</exception>
    public void Start()
    {
        _listener.Start(backlog: 512);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e) when (!_stopping.IsCancellationRequested)
            {
                LogAcceptFailed(_name, e.Message);
                continue;
            }
            var connection = Task.Run(() => ServeAsync(client));
            lock (_gate)
                _connections.Add(connection);
            _ = connection.ContinueWith(t => { lock (_gate) _connections.Remove(t); }, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        X509Certificate2? leaf = null;
        var intermediates = new List<X509Certificate2>();
        await using var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _serverCertificate,
            ClientCertificateRequired = true,
            // Every connection is a full handshake: a resumed session carries no certificates, and
            // attestation judges the chain the device sends on this connection.
            AllowTlsResume = false,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is null)
                    return false;
                leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                // The certificates the client sent after its leaf (RFC 8446 4.4.2) are in the ExtraStore.
                foreach (var sent in chain?.ChainPolicy.ExtraStore ?? [])
                {
                    if (sent.Thumbprint != leaf.Thumbprint)
                        intermediates.Add(X509CertificateLoader.LoadCertificate(sent.RawData));
                }
                return true;
            },
        };
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            handshake.CancelAfter(HandshakeTimeout);
            await ssl.AuthenticateAsServerAsync(options, handshake.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            LogHandshakeFailed(_name, remote, e.Message);
            leaf?.Dispose();
            return;
        }

        using var presented = new PresentedChain(leaf!, intermediates);
        try
        {
            await _handler(ssl, presented, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (DeviceAgent.Mqtt.MqttException e)
        {
            // The peer broke the protocol or went away: its business, logged without a stack trace.
            LogConnectionEnded(_name, remote, presented.CommonName ?? "?", e.Message);
        }
#pragma warning disable CA1031 // One connection's failure is logged and ends that connection only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogConnectionFailed(_name, remote, presented.CommonName ?? "?", e);
        }
    }

    /// <summary>Stops accepting and ends the open connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_acceptLoop is not null)
            await _acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (_gate)
            open = [.. _connections];
        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener}: accept failed: {Reason}")]
    private partial void LogAcceptFailed(string listener, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Listener}: TLS handshake with {Remote} failed: {Reason}")]
    private partial void LogHandshakeFailed(string listener, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Listener}: connection from {Remote} (CN={CommonName}) ended: {Reason}")]
    private partial void LogConnectionEnded(string listener, string remote, string commonName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener}: connection from {Remote} (CN={CommonName}) failed")]
    private partial void LogConnectionFailed(string listener, string remote, string commonName, Exception exception);
}
