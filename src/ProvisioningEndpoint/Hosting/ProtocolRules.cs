using MQTTnet.Exceptions;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// MQTT 3.1.1 rules on decoded packets that MQTTnet 5.2 does not enforce, each of which obliges
/// the server to close the connection: a PUBLISH topic name with wildcards [MQTT-3.3.2-2] or
/// empty [MQTT-4.7.3-1]; a QoS 1/2 PUBLISH, SUBSCRIBE or UNSUBSCRIBE with packet identifier 0
/// [MQTT-2.3.1-1]; a SUBSCRIBE or UNSUBSCRIBE without topic filters [MQTT-3.8.3-3, MQTT-3.10.3-2]
/// or with an empty one [MQTT-4.7.3-1]; a string carrying U+0000 [MQTT-1.5.3-2] or ill-formed
/// UTF-8 (MQTTnet decodes it to U+FFFD) [MQTT-1.5.3-1]. Throwing from MQTTnet's inbound packet
/// interceptor ends that connection.
/// </summary>
public static class ProtocolRules
{
    /// <summary>Attaches the rules to <paramref name="server"/>.</summary>
    public static void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        // A CONNECT whose client id or user name breaks 1.5.3 is closed without CONNACK.
        server.ValidatingConnectionAsync += e =>
        {
            if (Unacceptable(e.ClientId ?? "") || Unacceptable(e.UserName ?? ""))
                throw new MqttProtocolViolationException("a CONNECT client id or user name with U+0000 or ill-formed UTF-8 [MQTT-1.5.3]");
            return Task.CompletedTask;
        };
        server.InterceptingInboundPacketAsync += e =>
        {
            if (Violation(e.Packet) is { } violation)
                throw new MqttProtocolViolationException(violation);
            return Task.CompletedTask;
        };
    }

    /// <summary>Why <paramref name="packet"/> breaks a rule the server must close for; null when it breaks none of these.</summary>
    public static string? Violation(MqttPacket packet) => packet switch
    {
        MqttPublishPacket p when p.Topic.Length == 0 => "a PUBLISH with an empty topic name [MQTT-4.7.3-1]",
        MqttPublishPacket p when p.Topic.AsSpan().IndexOfAny('+', '#') >= 0 => "a PUBLISH topic name with a wildcard [MQTT-3.3.2-2]",
        MqttPublishPacket p when Unacceptable(p.Topic) => "a PUBLISH topic name with U+0000 or ill-formed UTF-8 [MQTT-1.5.3]",
        MqttPublishPacket { QualityOfServiceLevel: not MqttQualityOfServiceLevel.AtMostOnce, PacketIdentifier: 0 } => "a QoS 1/2 PUBLISH with packet identifier 0 [MQTT-2.3.1-1]",
        MqttSubscribePacket { PacketIdentifier: 0 } => "a SUBSCRIBE with packet identifier 0 [MQTT-2.3.1-1]",
        MqttSubscribePacket { TopicFilters.Count: 0 } => "a SUBSCRIBE without topic filters [MQTT-3.8.3-3]",
        MqttSubscribePacket s when s.TopicFilters.Exists(f => f.Topic.Length == 0 || Unacceptable(f.Topic)) => "a SUBSCRIBE with an empty topic filter, U+0000 or ill-formed UTF-8 [MQTT-4.7.3-1, MQTT-1.5.3]",
        MqttUnsubscribePacket { PacketIdentifier: 0 } => "an UNSUBSCRIBE with packet identifier 0 [MQTT-2.3.1-1]",
        MqttUnsubscribePacket { TopicFilters.Count: 0 } => "an UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]",
        MqttUnsubscribePacket u when u.TopicFilters.Exists(f => f.Length == 0 || Unacceptable(f)) => "an UNSUBSCRIBE with an empty topic filter, U+0000 or ill-formed UTF-8 [MQTT-4.7.3-1, MQTT-1.5.3]",
        _ => null,
    };

    private static bool Unacceptable(string value) => value.AsSpan().IndexOfAny('\0', '\uFFFD') >= 0;
}
