using System.Buffers;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ProvisioningEndpoint.Hosting;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// One hub's device endpoint, as interceptors of the hub listener's MQTTnet server: a device
/// connects with client id = device id and the IoT Hub user name; it must be in the registry and
/// enabled, and its credential is checked by the hub's <see cref="IHubDeviceAuthenticator"/>.
/// It may subscribe and publish on its own topics only (<c>devices/{its id}/...</c> and
/// <c>$iothub/...</c>); each publish is served by the first <see cref="IHubTopicHandler"/> that
/// takes it (a publish none takes ends the connection), and a reply goes to the asking
/// connection's session only, when it subscribed to the reply's topic. Nothing is routed between
/// devices. A device disabled or deleted while connected is disconnected; a device id connects
/// once (the newest connection wins, as IoT Hub does).
/// </summary>
public sealed partial class HubDeviceEndpoint : IMqttRole
{
    private readonly HubDefinition _hub;
    private readonly IProvisioningStore _store;
    private readonly IHubDeviceAuthenticator _authenticator;
    private readonly IReadOnlyList<IHubTopicHandler> _handlers;
    private readonly ILogger<HubDeviceEndpoint> _logger;
    private readonly ConnectionStates<HubConnection> _connections = new();
    private MqttServer? _server;

    /// <summary>Creates the endpoint and subscribes to the registry's revocations.</summary>
    public HubDeviceEndpoint(HubDefinition hub, IProvisioningStore store, HubRegistry registry, IHubDeviceAuthenticator authenticator,
        IEnumerable<IHubTopicHandler> handlers, ILogger<HubDeviceEndpoint> logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _hub = hub;
        _store = store;
        _authenticator = authenticator;
        _handlers = [.. handlers];
        _logger = logger;
        registry.DeviceRevoked += OnDeviceRevoked;
    }

    /// <summary>The hub served.</summary>
    public HubDefinition Hub => _hub;

    /// <inheritdoc />
    public string Name => $"hub {_hub.Name}";

    /// <inheritdoc />
    public void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        _connections.Attach(server);
        server.ValidatingConnectionAsync += ValidateAsync;
        server.ClientConnectedAsync += e =>
        {
            LogConnected(_hub.Name, e.ClientId);
            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += e =>
        {
            LogDisconnected(_hub.Name, e.ClientId);
            return Task.CompletedTask;
        };
        server.InterceptingSubscriptionAsync += SubscribeAsync;
        server.InterceptingUnsubscriptionAsync += UnsubscribeAsync;
        server.InterceptingPublishAsync += PublishAsync;
        server.InterceptingClientEnqueueAsync += e =>
        {
            e.AcceptEnqueue = false; // no device-to-device routing, ever
            return Task.CompletedTask;
        };
    }

    private async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        var credentials = new HubCredentials(e.ClientId, e.UserName ?? "", e.RawPassword ?? ReadOnlyMemory<byte>.Empty, (e.ChannelAdapter as DeviceChannel)?.Chain);
        var (code, reason) = await AuthenticateAsync(e, credentials).ConfigureAwait(false);
        if (code != MqttConnectReasonCode.Success)
        {
            LogRefused(_hub.Name, e.ClientId, reason!);
            e.ReasonCode = code;
            return;
        }
        _connections.Stage(e, new HubConnection(credentials));
    }

    private async Task<(MqttConnectReasonCode, string?)> AuthenticateAsync(ValidatingConnectionEventArgs e, HubCredentials credentials)
    {
        if (e.ProtocolVersion != MqttProtocolVersion.V311)
            return (MqttConnectReasonCode.UnsupportedProtocolVersion, $"MQTT {e.ProtocolVersion} is not served; IoT Hub's device protocol is MQTT 3.1.1");
        var deviceId = HubUserName.TryParse(e.UserName, _hub.HostName, out var problem);
        if (deviceId is null)
            return (MqttConnectReasonCode.BadUserNameOrPassword, problem);
        if (!string.Equals(deviceId, e.ClientId, StringComparison.Ordinal))
            return (MqttConnectReasonCode.ClientIdentifierNotValid, $"client id '{e.ClientId}' is not the user name's device id '{deviceId}'");
        var device = await _store.GetHubDeviceAsync(_hub.Name, deviceId, e.CancellationToken).ConfigureAwait(false);
        if (device is null)
            return (MqttConnectReasonCode.NotAuthorized, $"device '{deviceId}' is not in the registry of hub '{_hub.Name}'");
        if (device.Status != HubDeviceStatus.Enabled)
            return (MqttConnectReasonCode.NotAuthorized, $"device '{deviceId}' is disabled in hub '{_hub.Name}'");
        return await _authenticator.AuthenticateAsync(device, credentials, e.CancellationToken).ConfigureAwait(false) is { } refused
            ? (MqttConnectReasonCode.NotAuthorized, refused)
            : (MqttConnectReasonCode.Success, null);
    }

    /// <summary>True when <paramref name="filterOrTopic"/> lies in the device's own space: <c>devices/{id}/...</c> or <c>$iothub/...</c>.</summary>
    public static bool IsOwnTopic(string deviceId, string filterOrTopic)
    {
        ArgumentNullException.ThrowIfNull(filterOrTopic);
        return filterOrTopic.StartsWith($"devices/{deviceId}/", StringComparison.Ordinal) || filterOrTopic.StartsWith("$iothub/", StringComparison.Ordinal);
    }

    private Task SubscribeAsync(InterceptingSubscriptionEventArgs e)
    {
        e.ProcessSubscription = false; // nothing is routed: the filters only say which replies the device wants
        var filter = e.TopicFilter.Topic;
        if (_connections.Of(e.SessionItems) is not { } connection || !IsOwnTopic(connection.DeviceId, filter))
        {
            LogSubscriptionRefused(_hub.Name, e.ClientId, filter);
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized; // SUBACK 0x80 in MQTT 3.1.1
            return Task.CompletedTask;
        }
        var qos = e.TopicFilter.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;
        e.Response.ReasonCode = qos == MqttQualityOfServiceLevel.AtMostOnce ? MqttSubscribeReasonCode.GrantedQoS0 : MqttSubscribeReasonCode.GrantedQoS1;
        connection.Subscribe(e.Session, filter, qos);
        return Task.CompletedTask;
    }

    private Task UnsubscribeAsync(InterceptingUnsubscriptionEventArgs e)
    {
        _connections.Of(e.SessionItems)?.Unsubscribe(e.Topic);
        return Task.CompletedTask;
    }

    private async Task PublishAsync(InterceptingPublishEventArgs e)
    {
        e.ProcessPublish = false;
        var topic = e.ApplicationMessage.Topic;
        var connection = _connections.Of(e.SessionItems);
        var handler = connection is null || !IsOwnTopic(connection.DeviceId, topic) ? null : _handlers.FirstOrDefault(h => h.Serves(connection.DeviceId, topic));
        if (handler is null)
        {
            LogUnknownTopic(_hub.Name, e.ClientId, topic);
            e.CloseConnection = true;
            return;
        }
        var payload = e.ApplicationMessage.Payload;
        if (handler.AnswersLater)
        {
            // Off the connection's pipeline (MQTTnet serves one client's packets in order): the payload is copied, MQTTnet reuses its buffer.
            var detached = new HubRequest(_hub.Name, connection!.DeviceId, topic, payload.ToArray(), connection.Credentials);
            _ = Task.Run(() => AnswerLaterAsync(handler, detached, connection), CancellationToken.None);
            return;
        }
        var request = new HubRequest(_hub.Name, connection!.DeviceId, topic, payload.IsSingleSegment ? payload.First : payload.ToArray(), connection.Credentials);
        await ReplyAsync(handler, request, connection, e.CancellationToken).ConfigureAwait(false);
    }

    private async Task AnswerLaterAsync(IHubTopicHandler handler, HubRequest request, HubConnection connection)
    {
        try
        {
            await ReplyAsync(handler, request, connection, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or System.Data.Common.DbException)
        {
            LogAnswerFailed(_hub.Name, connection.DeviceId, request.Topic, ex.Message);
        }
    }

    private async Task ReplyAsync(IHubTopicHandler handler, HubRequest request, HubConnection connection, CancellationToken cancellationToken)
    {
        // A reply may be followed by others (issueCertificate: 202, then 200), sent in order.
        for (var reply = await handler.HandleAsync(request, cancellationToken).ConfigureAwait(false); reply is not null; reply = reply.Then)
        {
            if (connection.ReplyRoute(reply.Topic) is not { } route)
                continue;
            var message = new MqttApplicationMessageBuilder().WithTopic(reply.Topic).WithPayload(reply.Body).WithQualityOfServiceLevel(route.Qos).Build();
            if (!route.Session.TryEnqueueApplicationMessage(message, out _))
                LogReplyDropped(_hub.Name, connection.DeviceId, reply.Topic);
        }
    }

    private void OnDeviceRevoked(string hub, string deviceId)
    {
        if (hub != _hub.Name || _server is not { } server)
            return;
        _ = DisconnectAsync(server, deviceId);
    }

    // A revoked device that is not connected has nothing to end (MQTTnet throws for an unknown client id).
    private async Task DisconnectAsync(MqttServer server, string deviceId)
    {
        try
        {
            await server.DisconnectClientAsync(deviceId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized }).ConfigureAwait(false);
            LogRevoked(_hub.Name, deviceId);
        }
        catch (InvalidOperationException)
        {
            // not connected
        }
    }

    // One device connection: who it is, what it presented, the filters it subscribed.
    private sealed class HubConnection(HubCredentials credentials)
    {
        private readonly Lock _gate = new();
        private readonly List<(string Filter, MqttQualityOfServiceLevel Qos)> _filters = [];
        private MqttSessionStatus? _session;

        public HubCredentials Credentials { get; } = credentials;

        public string DeviceId => Credentials.DeviceId;

        public void Subscribe(MqttSessionStatus session, string filter, MqttQualityOfServiceLevel qos)
        {
            lock (_gate)
            {
                _session = session;
                _filters.RemoveAll(f => f.Filter == filter);
                _filters.Add((filter, qos));
            }
        }

        public void Unsubscribe(string filter)
        {
            lock (_gate)
                _filters.RemoveAll(f => f.Filter == filter);
        }

        // Where a reply on this topic goes, at the highest QoS granted to a matching filter; null when none matches.
        public (MqttSessionStatus Session, MqttQualityOfServiceLevel Qos)? ReplyRoute(string topic)
        {
            lock (_gate)
            {
                var matching = _filters.Where(f => MqttTopicFilterComparer.Compare(topic, f.Filter) == MqttTopicFilterCompareResult.IsMatch).ToList();
                return matching.Count == 0 || _session is null ? null : (_session, matching.Max(f => f.Qos));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "hub {Hub}: connection of {ClientId} refused: {Reason}")]
    private partial void LogRefused(string hub, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "hub {Hub}: device {DeviceId} connected")]
    private partial void LogConnected(string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "hub {Hub}: device {DeviceId} disconnected")]
    private partial void LogDisconnected(string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "hub {Hub}: device {DeviceId} was disabled or deleted; disconnecting it")]
    private partial void LogRevoked(string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hub {Hub}: device {DeviceId} subscribed to {Filter}, which is not its own; refused")]
    private partial void LogSubscriptionRefused(string hub, string deviceId, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hub {Hub}: device {DeviceId} published to {Topic}, which the hub does not serve for it; disconnecting")]
    private partial void LogUnknownTopic(string hub, string deviceId, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "hub {Hub}: the request of {DeviceId} on {Topic} failed: {Reason}")]
    private partial void LogAnswerFailed(string hub, string deviceId, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hub {Hub}: the reply to {DeviceId} on {Topic} could not be queued (the session is gone or its queue is full)")]
    private partial void LogReplyDropped(string hub, string deviceId, string topic);
}
