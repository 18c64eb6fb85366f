using Microsoft.AspNetCore.Connections;
using MQTTnet.Adapter;
using MQTTnet.AspNetCore;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Server;
using ProvisioningEndpoint.Tls;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// One MQTT listener of the endpoint: an MQTTnet server of its own (one per role, so that client
/// ids of different hubs never meet) fed by a Kestrel endpoint through MQTTnet.AspNetCore's pipe
/// adapter. Each client's channel carries the chain its TLS handshake presented
/// (<see cref="DeviceChannel"/>), which the role's interceptors read.
/// </summary>
public sealed class MqttListener : IMqttServerAdapter
{
    private readonly MqttServerOptions _options;

    /// <summary>Creates the server and attaches <paramref name="role"/> to it.</summary>
    public MqttListener(IMqttRole role, ListenerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(limits);
        Role = role;
        _options = new MqttServerOptionsBuilder()
            // Also how long MQTTnet waits for the CONNECT; the frame guard enforces the limit first.
            .WithDefaultCommunicationTimeout(limits.ConnectTimeout + TimeSpan.FromSeconds(1))
            .WithMaxPendingMessagesPerClient(limits.PendingMessagesPerClient)
            .Build();
        Server = new MqttServerFactory().CreateMqttServer(_options, [this], MqttNetNullLogger.Instance);
        SubAckOrder.Attach(Server);
        ProtocolRules.Attach(Server);
        role.Attach(Server);
    }

    /// <summary>The role served.</summary>
    public IMqttRole Role { get; }

    /// <summary>The MQTTnet server.</summary>
    public MqttServer Server { get; }

    /// <inheritdoc />
    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>Kestrel's terminal connection handler: serves the connection until MQTTnet is done with it.</summary>
    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            if (ClientHandler is not { } handler)
                return; // not started, or stopping
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(_options.WriterBufferSize, _options.WriterBufferSizeMax));
            using var pipe = new MqttConnectionContext(formatter, connection);
            using var channel = new DeviceChannel(pipe, connection.PresentedChain());
            await handler(channel).ConfigureAwait(false);
        }
        finally
        {
            connection.ReleasePresentedChain();
        }
    }

    /// <inheritdoc />
    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync()
    {
        ClientHandler = null;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => ClientHandler = null;
}
