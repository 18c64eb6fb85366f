using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Device;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;
using ProvisioningEndpoint.Tls;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// The endpoint's MQTT listeners in its Kestrel host: the DPS device endpoint and one endpoint per
/// hub, each on its own port with its own MQTTnet server. A listener's connection passes, in
/// order: <see cref="ConnectionsPerAddress"/>, the mutual-TLS handshake
/// (<see cref="MutualTlsHandshake"/>; on the DPS port the chain is judged against the verified
/// CAs there), <see cref="MqttFrameGuard"/>, and MQTTnet (<see cref="MqttListener"/>).
/// Starts and stops the MQTTnet servers with the host.
/// </summary>
public sealed partial class EndpointListeners : IHostedService
{
    private readonly EndpointConfiguration _configuration;
    private readonly SslStreamCertificateContext _serverCertificate;
    private readonly ChainAttestor _attestor;
    private readonly ListenerLimits _limits;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Observability.EndpointMetrics _metrics;
    private readonly List<(MqttListener Listener, string Host, int Port)> _listeners = [];

    /// <summary>Creates the listeners (they accept once the host started).</summary>
    public EndpointListeners(EndpointConfiguration configuration, SslStreamCertificateContext serverCertificate, ChainAttestor attestor,
        DpsDeviceEndpoint dps, IProvisioningStore store, HubRegistry registry, IHubDeviceAuthenticator authenticator,
        IEnumerable<IHubTopicHandler> hubTopics, ListenerLimits limits, TimeProvider clock, ILoggerFactory loggers, Observability.EndpointMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(metrics);
        _metrics = metrics;
        _configuration = configuration;
        _serverCertificate = serverCertificate;
        _attestor = attestor;
        _limits = limits;
        _clock = clock;
        _logger = loggers.CreateLogger<EndpointListeners>();
        _listeners.Add((new MqttListener(dps, limits), configuration.HostName, configuration.BoundDevicePort));
        var topics = hubTopics.ToList();
        foreach (var hub in configuration.Hubs)
        {
            var endpoint = new HubDeviceEndpoint(hub, store, registry, authenticator, topics, loggers.CreateLogger<HubDeviceEndpoint>());
            var listener = new MqttListener(endpoint, limits);
            _listeners.Add((listener, hub.HostName, hub.BoundPort));
            metrics.ObserveHubDevices(hub.Name, () => ConnectedClientsAsync(listener.Server));
        }
    }

    /// <summary>The DPS listener's MQTTnet server.</summary>
    public MqttServer Dps => _listeners[0].Listener.Server;

    /// <summary>Adds each listener's Kestrel endpoint.</summary>
    public void Bind(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var address = IPAddress.Parse(_configuration.ListenAddress);
        for (var i = 0; i < _listeners.Count; i++)
        {
            var (listener, _, port) = _listeners[i];
            // Devices' chains are judged in the DPS handshake against the verified CAs (one chain build per registration).
            var judge = i == 0;
            // Hubs also admit certificate-less TLS: SAS devices (TPM attestation) authenticate at CONNECT.
            var name = judge ? "dps" : $"hub:{_configuration.Hubs[i - 1].Name}";
            kestrel.Listen(address, port, listen => Bind(listen, listener, _serverCertificate, judge ? _attestor.HandshakePolicyAsync : null, _limits, _clock, _logger,
                clientCertificateOptional: !judge, handshakes: (_metrics, name)));
        }
    }

    /// <summary>
    /// Makes <paramref name="listen"/> a device listener serving <paramref name="listener"/>:
    /// connection limit, mutual TLS (judging chains with <paramref name="chainPolicy"/> when given), frame guard, MQTT.
    /// </summary>
    public static void Bind(ListenOptions listen, MqttListener listener, SslStreamCertificateContext serverCertificate,
        Func<CancellationToken, ValueTask<(string AnchorsVersion, System.Security.Cryptography.X509Certificates.X509ChainPolicy Policy)?>>? chainPolicy,
        ListenerLimits limits, TimeProvider clock, ILogger logger, bool clientCertificateOptional = false,
        (Observability.EndpointMetrics Metrics, string Listener)? handshakes = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(limits);
        listen.Use(new ConnectionsPerAddress(listener.Role.Name, limits.ConnectionsPerAddress, logger).Wrap);
        var tls = MutualTlsHandshake.Options(serverCertificate, chainPolicy, limits.HandshakeTimeout, clientCertificateOptional);
        Observability.HandshakeMetering.UseHttps(listen, handshakes?.Metrics, handshakes?.Listener ?? listener.Role.Name, l => l.UseHttps(tls));
        listen.Use(new MqttFrameGuard(listener.Role.Name, limits, clock, logger).Wrap);
        listen.Run(listener.OnConnectedAsync);
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (listener, host, port) in _listeners)
        {
            await listener.Server.StartAsync().ConfigureAwait(false);
            LogListening(listener.Role.Name, host, port, _configuration.IdScope);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var (listener, _, _) in _listeners)
        {
            await listener.Server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
            listener.Server.Dispose();
        }
    }

    // The gauge is read at each scrape; a server not started (or stopped) has no connected devices.
    private static async Task<int> ConnectedClientsAsync(MqttServer server)
    {
        try
        {
            return server.IsStarted ? (await server.GetClientsAsync().ConfigureAwait(false)).Count : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} listening on {Host}:{Port} (ID scope {IdScope})")]
    private partial void LogListening(string name, string host, int port, string idScope);
}
