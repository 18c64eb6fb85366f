using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using System.Text;
using DeviceAgent.Mqtt;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Server;
using DeviceAgent.Provisioning.Wire;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// One hub's device endpoint over MQTT/TLS: a device connects with client id = device id and the
/// IoT Hub user name, authenticated by the thumbprint of the leaf it presents, which must be the
/// one its registry entry is bound to (the leaf that registered through DPS), and must be
/// enabled. Telemetry on <c>devices/{id}/messages/events/...</c> is kept (bounded per device);
/// twin GET and reported-properties PATCH are served. A device disabled or deleted while
/// connected is disconnected.
/// </summary>
public sealed partial class HubDeviceEndpoint
{
    private readonly HubDefinition _hub;
    private readonly IProvisioningStore _store;
    private readonly MqttServerOptions _mqttOptions;
    private readonly int _telemetryPerDevice;
    private readonly TimeProvider _clock;
    private readonly ILogger<HubDeviceEndpoint> _logger;
    private readonly ConcurrentDictionary<string, MqttServerConnection> _connected = new(StringComparer.Ordinal);
    private readonly Issuance.IssueCertificateHandler? _certificates;

    /// <summary>Creates the endpoint and subscribes to the registry's revocations.</summary>
    public HubDeviceEndpoint(HubDefinition hub, IProvisioningStore store, HubRegistry registry, MqttServerOptions mqttOptions,
        int telemetryPerDevice, TimeProvider clock, ILogger<HubDeviceEndpoint> logger, Issuance.IssueCertificateHandler? certificates = null)
    {
        _certificates = certificates;
        ArgumentNullException.ThrowIfNull(registry);
        _hub = hub;
        _store = store;
        _mqttOptions = mqttOptions;
        _telemetryPerDevice = telemetryPerDevice;
        _clock = clock;
        _logger = logger;
        registry.DeviceRevoked += OnDeviceRevoked;
    }

    /// <summary>The hub served.</summary>
    public HubDefinition Hub => _hub;

    /// <summary>Serves one device connection until it disconnects or is revoked.</summary>
    public async Task ServeAsync(SslStream stream, PresentedChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        await using var connection = await MqttServerConnection.AcceptAsync(stream, _mqttOptions, cancellationToken).ConfigureAwait(false);
        var (code, reason) = await AuthenticateAsync(connection, chain, cancellationToken).ConfigureAwait(false);
        if (code != MqttConnectReturnCode.Accepted)
        {
            LogRefused(_hub.Name, connection.ClientId, reason!);
            await connection.SendConnAckAsync(code, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var deviceId = connection.ClientId;
        if (_connected.TryGetValue(deviceId, out var previous))
            await previous.DisposeAsync().ConfigureAwait(false); // a device id connects once: the newest wins, as IoT Hub does
        _connected[deviceId] = connection;
        await connection.SendConnAckAsync(MqttConnectReturnCode.Accepted, cancellationToken: cancellationToken).ConfigureAwait(false);
        LogConnected(_hub.Name, deviceId);
        try
        {
            var subscribed = new List<MqttTopicFilter>();
            while (await connection.ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } packet)
            {
                switch (packet)
                {
                    case MqttSubscribePacket subscribe:
                        subscribed.AddRange(subscribe.Filters);
                        var granted = subscribe.Filters.Select(f => (MqttSubscribeReturnCode)Math.Min((int)f.QualityOfService, 1)).ToArray();
                        await connection.SendAsync(new MqttSubAckPacket(subscribe.PacketId, granted), cancellationToken).ConfigureAwait(false);
                        break;
                    case MqttUnsubscribePacket unsubscribe:
                        subscribed.RemoveAll(f => unsubscribe.Filters.Contains(f.Filter));
                        await connection.SendAsync(new MqttUnsubAckPacket(unsubscribe.PacketId), cancellationToken).ConfigureAwait(false);
                        break;
                    case MqttPublishPacket publish:
                        if (!await HandlePublishAsync(connection, deviceId, publish, subscribed, chain, cancellationToken).ConfigureAwait(false))
                            return;
                        break;
                }
            }
        }
        finally
        {
            _connected.TryRemove(new KeyValuePair<string, MqttServerConnection>(deviceId, connection));
            LogDisconnected(_hub.Name, deviceId);
        }
    }

    private async Task<(MqttConnectReturnCode, string?)> AuthenticateAsync(MqttServerConnection connection, PresentedChain chain, CancellationToken cancellationToken)
    {
        var deviceId = HubUserName.TryParse(connection.Connect.UserName, _hub.HostName, out var problem);
        if (deviceId is null)
            return (MqttConnectReturnCode.BadUserNameOrPassword, problem);
        if (!string.Equals(deviceId, connection.ClientId, StringComparison.Ordinal))
            return (MqttConnectReturnCode.IdentifierRejected, $"client id '{connection.ClientId}' is not the user name's device id '{deviceId}'");
        var device = await _store.GetHubDeviceAsync(_hub.Name, deviceId, cancellationToken).ConfigureAwait(false);
        if (device is null)
            return (MqttConnectReturnCode.NotAuthorized, $"device '{deviceId}' is not in the registry of hub '{_hub.Name}'");
        if (device.Status != HubDeviceStatus.Enabled)
            return (MqttConnectReturnCode.NotAuthorized, $"device '{deviceId}' is disabled in hub '{_hub.Name}'");
        if (!await Issuance.CredentialRollover.AcceptAsync(_store, device, chain.Leaf.Thumbprint, _clock, cancellationToken).ConfigureAwait(false)) // cert-renewal
        {
            return (MqttConnectReturnCode.NotAuthorized,
                $"device '{deviceId}' presented certificate {chain.Leaf.Thumbprint}, but the registry holds {device.PrimaryThumbprint}: provision again");
        }
        return (MqttConnectReturnCode.Accepted, null);
    }

    // False ends the connection.
    private async Task<bool> HandlePublishAsync(MqttServerConnection connection, string deviceId, MqttPublishPacket publish,
        List<MqttTopicFilter> subscribed, PresentedChain chain, CancellationToken cancellationToken)
    {
        if (_certificates is not null && Issuance.IssueCertificateHandler.Matches(publish.Topic)) // cert-renewal: Issuance/IssueCertificateHandler
        {
            foreach (var (topic, body) in await _certificates.HandleAsync(_hub.Name, deviceId, chain, publish.Topic, publish.Payload, cancellationToken).ConfigureAwait(false))
            {
                if (subscribed.Exists(f => MqttTopic.Matches(f.Filter, topic)))
                    await connection.PublishAsync(topic, body, MqttQualityOfService.AtMostOnce, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        var events = $"devices/{deviceId}/messages/events/";
        if (publish.Topic.StartsWith(events, StringComparison.Ordinal))
        {
            await _store.AddTelemetryAsync(new TelemetryMessage(_hub.Name, deviceId, _clock.GetUtcNow(), publish.Topic[events.Length..],
                publish.Payload.ToArray()), _telemetryPerDevice, cancellationToken).ConfigureAwait(false);
            return true;
        }
        const string TwinGet = "$iothub/twin/GET/?";
        const string TwinPatch = "$iothub/twin/PATCH/properties/reported/?";
        if (publish.Topic.StartsWith(TwinGet, StringComparison.Ordinal) || publish.Topic.StartsWith(TwinPatch, StringComparison.Ordinal))
        {
            var get = publish.Topic.StartsWith(TwinGet, StringComparison.Ordinal);
            var query = QueryString.Parse(publish.Topic[(get ? TwinGet.Length : TwinPatch.Length)..]);
            query.TryGetValue("$rid", out var rid);
            var (status, body, version) = await TwinAsync(deviceId, get, publish.Payload, cancellationToken).ConfigureAwait(false);
            var topic = $"$iothub/twin/res/{status}/?$rid={rid}" + (version is { } v ? "&$version=" + v.ToString(CultureInfo.InvariantCulture) : "");
            var qos = subscribed.Where(f => MqttTopic.Matches(f.Filter, topic)).Select(f => f.QualityOfService).DefaultIfEmpty(MqttQualityOfService.AtMostOnce).Max();
            if (subscribed.Exists(f => MqttTopic.Matches(f.Filter, topic)))
                await connection.PublishAsync(topic, body, (MqttQualityOfService)Math.Min((int)qos, 1), cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        LogUnknownTopic(_hub.Name, deviceId, publish.Topic);
        return false;
    }

    private async Task<(int Status, byte[] Body, long? Version)> TwinAsync(string deviceId, bool get, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var device = await _store.GetHubDeviceAsync(_hub.Name, deviceId, cancellationToken).ConfigureAwait(false);
        if (device is null)
            return (404, Encoding.UTF8.GetBytes("""{"errorCode":404001,"message":"device not found"}"""), null);
        if (get)
            return (200, Encoding.UTF8.GetBytes(TwinDocument.DeviceView(device.TwinJson)), null);
        try
        {
            var (twin, version) = TwinDocument.PatchReported(device.TwinJson, payload.Span);
            await _store.PutHubDeviceAsync(device with { TwinJson = twin, Etag = Etags.New(), UpdatedUtc = _clock.GetUtcNow() }, device.Etag, cancellationToken).ConfigureAwait(false);
            return (204, [], version);
        }
        catch (System.Text.Json.JsonException e)
        {
            return (400, Encoding.UTF8.GetBytes($$"""{"errorCode":400004,"message":{{System.Text.Json.JsonSerializer.Serialize(e.Message)}}}"""), null);
        }
        catch (StoreConflictException)
        {
            return (412, Encoding.UTF8.GetBytes("""{"errorCode":412002,"message":"the twin changed concurrently; retry"}"""), null);
        }
    }

    private void OnDeviceRevoked(string hub, string deviceId)
    {
        if (hub == _hub.Name && _connected.TryRemove(deviceId, out var connection))
        {
            LogRevoked(_hub.Name, deviceId);
            _ = connection.DisposeAsync().AsTask();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "hub {Hub}: device {DeviceId} published to {Topic}, which the hub does not serve; disconnecting")]
    private partial void LogUnknownTopic(string hub, string deviceId, string topic);
}
