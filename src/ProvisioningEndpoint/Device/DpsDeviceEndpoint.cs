using System.Buffers;
using DeviceAgent.Provisioning.Wire;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Hosting;
using ProvisioningEndpoint.Registration;

namespace ProvisioningEndpoint.Device;

/// <summary>
/// The device side of DPS over MQTT/TLS, as interceptors of the DPS listener's MQTTnet server:
/// CONNECT with the DPS user name form (<c>{idScope}/registrations/{registrationId}/api-version=...</c>,
/// client id = registration id), SUBSCRIBE <c>$dps/registrations/res/#</c>, register and poll by
/// publishing requests that carry <c>$rid</c>; every response is published on
/// <c>$dps/registrations/res/{status}/?$rid=...</c>. Every device subscribes to the same filter,
/// so nothing is routed by topic: a request is consumed here and its response is queued on the
/// asking client's own session only.
/// </summary>
public sealed partial class DpsDeviceEndpoint(string idScope, RegistrationService registrations, ILogger<DpsDeviceEndpoint> logger) : IMqttRole
{
    private readonly ConnectionStates<DpsConnection> _connections = new();

    /// <inheritdoc />
    public string Name => "dps";

    /// <inheritdoc />
    public void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _connections.Attach(server);
        server.ValidatingConnectionAsync += ValidateAsync;
        server.InterceptingSubscriptionAsync += SubscribeAsync;
        server.InterceptingUnsubscriptionAsync += UnsubscribeAsync;
        server.InterceptingPublishAsync += PublishAsync;
        server.InterceptingClientEnqueueAsync += NeverRoute;
    }

    private Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        var chain = (e.ChannelAdapter as DeviceChannel)?.Chain;
        var userName = DpsUserName.TryParse(e.UserName, out var problem);
        var refusal = e.ProtocolVersion != MqttProtocolVersion.V311 ? (MqttConnectReasonCode.UnsupportedProtocolVersion, $"MQTT {e.ProtocolVersion} is not served; DPS speaks MQTT 3.1.1")
            : chain is null ? (MqttConnectReasonCode.NotAuthorized, "no client certificate was presented")
            : userName is null ? (MqttConnectReasonCode.BadUserNameOrPassword, problem!)
            : !string.Equals(userName.IdScope, idScope, StringComparison.Ordinal) ? (MqttConnectReasonCode.NotAuthorized, $"unknown ID scope '{userName.IdScope}'")
            : !string.Equals(e.ClientId, userName.RegistrationId, StringComparison.Ordinal)
                ? (MqttConnectReasonCode.ClientIdentifierNotValid, $"client id '{e.ClientId}' is not the registration id '{userName.RegistrationId}'")
            : ((MqttConnectReasonCode, string)?)null;
        if (refusal is { } r)
        {
            LogConnectRefused(e.ClientId, chain?.CommonName ?? "?", r.Item2);
            e.ReasonCode = r.Item1;
            return Task.CompletedTask;
        }
        _connections.Stage(e, new DpsConnection(userName!.RegistrationId, chain!));
        return Task.CompletedTask;
    }

    private Task SubscribeAsync(InterceptingSubscriptionEventArgs e)
    {
        if (_connections.Of(e.SessionItems) is not { } connection)
            return Refuse(e);
        // Nothing is routed to the session: the filter is only the device's consent to responses.
        e.ProcessSubscription = false;
        if (MqttTopicFilterComparer.Compare(DpsTopics.Response(200, "0"), e.TopicFilter.Topic) != MqttTopicFilterCompareResult.IsMatch)
        {
            LogSubscriptionRefused(connection.RegistrationId, e.TopicFilter.Topic);
            e.Response.ReasonCode = MqttSubscribeReasonCode.UnspecifiedError;
            return Task.CompletedTask;
        }
        var qos = e.TopicFilter.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;
        e.Response.ReasonCode = qos == MqttQualityOfServiceLevel.AtMostOnce ? MqttSubscribeReasonCode.GrantedQoS0 : MqttSubscribeReasonCode.GrantedQoS1;
        connection.Responses = (e.Session, qos);
        return Task.CompletedTask;
    }

    private static Task Refuse(InterceptingSubscriptionEventArgs e)
    {
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.UnspecifiedError;
        return Task.CompletedTask;
    }

    private Task UnsubscribeAsync(InterceptingUnsubscriptionEventArgs e)
    {
        if (_connections.Of(e.SessionItems) is { } connection)
            connection.Responses = null;
        return Task.CompletedTask;
    }

    private static Task NeverRoute(InterceptingClientApplicationMessageEnqueueEventArgs e)
    {
        e.AcceptEnqueue = false;
        return Task.CompletedTask;
    }

    private async Task PublishAsync(InterceptingPublishEventArgs e)
    {
        e.ProcessPublish = false;
        if (_connections.Of(e.SessionItems) is not { } connection)
        {
            e.CloseConnection = true;
            return;
        }
        var topic = e.ApplicationMessage.Topic;
        string query;
        bool register;
        if (topic.StartsWith(DpsTopics.RegisterPrefix, StringComparison.Ordinal))
            (register, query) = (true, topic[DpsTopics.RegisterPrefix.Length..]);
        else if (topic.StartsWith(DpsTopics.OperationStatusPrefix, StringComparison.Ordinal))
            (register, query) = (false, topic[DpsTopics.OperationStatusPrefix.Length..]);
        else
        {
            LogUnknownTopic(connection.RegistrationId, topic);
            e.CloseConnection = true;
            return;
        }

        var parameters = QueryString.Parse(query);
        if (!parameters.TryGetValue("$rid", out var requestId))
        {
            LogUnknownTopic(connection.RegistrationId, topic);
            e.CloseConnection = true;
            return;
        }
        DpsResponse response;
        try
        {
            if (register)
            {
                var payload = e.ApplicationMessage.Payload;
                response = await registrations.RegisterAsync(connection.RegistrationId, connection.Chain,
                    payload.IsSingleSegment ? payload.First : payload.ToArray(), e.CancellationToken).ConfigureAwait(false);
            }
            else if (parameters.TryGetValue("operationId", out var operationId))
                response = await registrations.PollAsync(connection.RegistrationId, operationId, e.CancellationToken).ConfigureAwait(false);
            else
                response = DpsResponse.Error(DpsErrorCodes.BadRequest, "the operation status request has no operationId", DateTimeOffset.UtcNow);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException)
        {
            // The store failed (a full disk, say): nothing was acknowledged, so a 500 the device retries
            // is the whole truth; the cause is logged here, not sent.
            LogStoreFailed(connection.RegistrationId, ex.Message);
            response = DpsResponse.Error(DpsErrorCodes.InternalError, "the provisioning service could not store the registration; retry later", DateTimeOffset.UtcNow);
        }

        if (connection.Responses is not { } responses)
        {
            LogNotSubscribed(connection.RegistrationId);
            return;
        }
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(DpsTopics.Response(response.Status, requestId, response.RetryAfterSeconds))
            .WithPayload(response.Body)
            .WithQualityOfServiceLevel(responses.Qos)
            .Build();
        if (!responses.Session.TryEnqueueApplicationMessage(message, out _))
            LogResponseDropped(connection.RegistrationId);
    }

    // What one connection established: who it is, what it presented, where its responses go.
    private sealed class DpsConnection(string registrationId, PresentedChain chain)
    {
        public string RegistrationId { get; } = registrationId;

        public PresentedChain Chain { get; } = chain;

        public (MqttSessionStatus Session, MqttQualityOfServiceLevel Qos)? Responses { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {ClientId} (certificate CN={CommonName}) refused: {Reason}")]
    private partial void LogConnectRefused(string clientId, string commonName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {RegistrationId}: subscription to {Filter} refused (only $dps/registrations/res/# is served)")]
    private partial void LogSubscriptionRefused(string registrationId, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {RegistrationId}: publish to {Topic} is not a DPS request; disconnecting")]
    private partial void LogUnknownTopic(string registrationId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {RegistrationId}: a request arrived before any subscription to $dps/registrations/res/#; the response is dropped")]
    private partial void LogNotSubscribed(string registrationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "DPS registration {RegistrationId}: the store failed, the device is answered 500: {Reason}")]
    private partial void LogStoreFailed(string registrationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {RegistrationId}: the response could not be queued (the session is gone or its queue is full)")]
    private partial void LogResponseDropped(string registrationId);
}
