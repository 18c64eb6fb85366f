using System.Net;
using System.Net.Security;
using DeviceAgent.Mqtt.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Device;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;
using ProvisioningEndpoint.Tls;

namespace ProvisioningEndpoint.Hosting;

/// <summary>Starts the DPS device endpoint and one endpoint per hub; stops them on shutdown.</summary>
public sealed partial class EndpointListeners(
    EndpointConfiguration configuration,
    SslStreamCertificateContext serverCertificate,
    DpsDeviceEndpoint deviceEndpoint,
    Attestation.ChainAttestor attestor,
    IProvisioningStore store,
    HubRegistry registry,
    TimeProvider clock,
    ILoggerFactory loggers,
    Issuance.IssueCertificateHandler certificates) : IHostedService, IAsyncDisposable
{
    private readonly List<MutualTlsListener> _listeners = [];
    private readonly ILogger _logger = loggers.CreateLogger<EndpointListeners>();

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(configuration.ListenAddress);
        // Devices' chains are judged in the handshake against the verified CAs (one chain build per registration).
        Listen("dps", new IPEndPoint(address, configuration.DevicePort), deviceEndpoint.ServeAsync, attestor.HandshakePolicyAsync);
        LogListening("DPS device endpoint", configuration.HostName, configuration.DevicePort, configuration.IdScope);
        foreach (var hub in configuration.Hubs)
        {
            var endpoint = new HubDeviceEndpoint(hub, store, registry, new MqttServerOptions { TimeProvider = clock },
                configuration.TelemetryPerDevice, clock, loggers.CreateLogger<HubDeviceEndpoint>(), certificates);
            Listen($"hub {hub.Name}", new IPEndPoint(address, hub.Port), endpoint.ServeAsync);
            LogListening(hub.Name, hub.HostName, hub.Port, configuration.IdScope);
        }
        return Task.CompletedTask;
    }

    private void Listen(string name, IPEndPoint endpoint, Func<SslStream, Attestation.PresentedChain, CancellationToken, Task> handler,
        Func<CancellationToken, ValueTask<(string AnchorsVersion, System.Security.Cryptography.X509Certificates.X509ChainPolicy Policy)?>>? chainPolicy = null)
    {
        var listener = new MutualTlsListener(name, endpoint, serverCertificate, handler, loggers.CreateLogger<MutualTlsListener>())
        {
            HandshakeChainPolicy = chainPolicy,
        };
        listener.Start();
        _listeners.Add(listener);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners)
            await listener.DisposeAsync().ConfigureAwait(false);
        _listeners.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} listening on {Host}:{Port} (ID scope {IdScope})")]
    private partial void LogListening(string name, string host, int port, string idScope);
}
