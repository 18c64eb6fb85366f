using System.Net.Security;
using DeviceAgent.Mqtt;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Server;
using DeviceAgent.Provisioning.Wire;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Registration;

namespace ProvisioningEndpoint.Device;

/// <summary>
/// The device side of DPS over MQTT/TLS: CONNECT with the DPS user name form
/// (<c>{idScope}/registrations/{registrationId}/api-version=...</c>, client id = registration id),
/// SUBSCRIBE <c>$dps/registrations/res/#</c>, register and poll by publishing requests that carry
/// <c>$rid</c>; every response is published on <c>$dps/registrations/res/{status}/?$rid=...</c>.
/// </summary>
public sealed partial class DpsDeviceEndpoint(string idScope, RegistrationService registrations, MqttServerOptions mqttOptions, ILogger<DpsDeviceEndpoint> logger)
{
    /// <summary>Serves one device connection until it disconnects.</summary>
    public async Task ServeAsync(SslStream stream, PresentedChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        await using var connection = await MqttServerConnection.AcceptAsync(stream, mqttOptions, cancellationToken).ConfigureAwait(false);
        var userName = DpsUserName.TryParse(connection.Connect.UserName, out var problem);
        var refusal = userName is null ? (MqttConnectReturnCode.BadUserNameOrPassword, problem!)
            : !string.Equals(userName.IdScope, idScope, StringComparison.Ordinal) ? (MqttConnectReturnCode.NotAuthorized, $"unknown ID scope '{userName.IdScope}'")
            : !string.Equals(connection.ClientId, userName.RegistrationId, StringComparison.Ordinal)
                ? (MqttConnectReturnCode.IdentifierRejected, $"client id '{connection.ClientId}' is not the registration id '{userName.RegistrationId}'")
            : ((MqttConnectReturnCode, string)?)null;
        if (refusal is { } r)
        {
            LogConnectRefused(connection.ClientId, chain.CommonName ?? "?", r.Item2);
            await connection.SendConnAckAsync(r.Item1, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        await connection.SendConnAckAsync(MqttConnectReturnCode.Accepted, cancellationToken: cancellationToken).ConfigureAwait(false);

        var registrationId = userName!.RegistrationId;
        MqttQualityOfService? responses = null;
        while (await connection.ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } packet)
        {
            switch (packet)
            {
                case MqttSubscribePacket subscribe:
                    var granted = subscribe.Filters.Select(f => MqttTopic.Matches(f.Filter, DpsTopics.Response(200, "0"))
                        ? (MqttSubscribeReturnCode)Math.Min((int)f.QualityOfService, 1)
                        : MqttSubscribeReturnCode.Failure).ToArray();
                    foreach (var (filter, code) in subscribe.Filters.Zip(granted))
                    {
                        if (code != MqttSubscribeReturnCode.Failure)
                            responses = (MqttQualityOfService)(byte)code;
                        else
                            LogSubscriptionRefused(registrationId, filter.Filter);
                    }
                    await connection.SendAsync(new MqttSubAckPacket(subscribe.PacketId, granted), cancellationToken).ConfigureAwait(false);
                    break;

                case MqttUnsubscribePacket unsubscribe:
                    responses = null;
                    await connection.SendAsync(new MqttUnsubAckPacket(unsubscribe.PacketId), cancellationToken).ConfigureAwait(false);
                    break;

                case MqttPublishPacket publish:
                    if (!await HandleRequestAsync(connection, registrationId, chain, publish, responses, cancellationToken).ConfigureAwait(false))
                        return;
                    break;
            }
        }
    }

    // False ends the connection (a publish DPS does not serve).
    private async Task<bool> HandleRequestAsync(MqttServerConnection connection, string registrationId, PresentedChain chain,
        MqttPublishPacket publish, MqttQualityOfService? responses, CancellationToken cancellationToken)
    {
        string query;
        bool register;
        if (publish.Topic.StartsWith(DpsTopics.RegisterPrefix, StringComparison.Ordinal))
            (register, query) = (true, publish.Topic[DpsTopics.RegisterPrefix.Length..]);
        else if (publish.Topic.StartsWith(DpsTopics.OperationStatusPrefix, StringComparison.Ordinal))
            (register, query) = (false, publish.Topic[DpsTopics.OperationStatusPrefix.Length..]);
        else
        {
            LogUnknownTopic(registrationId, publish.Topic);
            return false;
        }

        var parameters = QueryString.Parse(query);
        if (!parameters.TryGetValue("$rid", out var requestId))
        {
            LogUnknownTopic(registrationId, publish.Topic);
            return false;
        }
        DpsResponse response;
        if (register)
            response = await registrations.RegisterAsync(registrationId, chain, publish.Payload, cancellationToken).ConfigureAwait(false);
        else if (parameters.TryGetValue("operationId", out var operationId))
            response = await registrations.PollAsync(registrationId, operationId, cancellationToken).ConfigureAwait(false);
        else
            response = DpsResponse.Error(DpsErrorCodes.BadRequest, "the operation status request has no operationId", DateTimeOffset.UtcNow);

        if (responses is not { } qos)
        {
            LogNotSubscribed(registrationId);
            return true;
        }
        await connection.PublishAsync(DpsTopics.Response(response.Status, requestId, response.RetryAfterSeconds), response.Body, qos,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {ClientId} (certificate CN={CommonName}) refused: {Reason}")]
    private partial void LogConnectRefused(string clientId, string commonName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {RegistrationId}: subscription to {Filter} refused (only $dps/registrations/res/# is served)")]
    private partial void LogSubscriptionRefused(string registrationId, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {RegistrationId}: publish to {Topic} is not a DPS request; disconnecting")]
    private partial void LogUnknownTopic(string registrationId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DPS connection {RegistrationId}: a request arrived before any subscription to $dps/registrations/res/#; the response is dropped")]
    private partial void LogNotSubscribed(string registrationId);
}
