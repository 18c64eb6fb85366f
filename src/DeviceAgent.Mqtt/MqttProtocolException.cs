namespace DeviceAgent.Mqtt;

/// <summary>
/// A violation of MQTT 3.1.1: malformed bytes from the peer, a packet that the peer may not send
/// in this state, or a packet this side was asked to encode that the specification forbids.
/// The message names the packet, the field and the rule, e.g.
/// <c>CONNECT password: password flag set without the user name flag [MQTT-3.1.2-22]</c>.
/// A connection that met one is closed (section 4.8).
/// </summary>
public sealed class MqttProtocolException : MqttException
{
    /// <summary>Creates an exception with a default message.</summary>
    public MqttProtocolException() : this("MQTT protocol violation") { }

    /// <summary>Creates an exception with a free-form message and no rule.</summary>
    public MqttProtocolException(string message) : base(message) => Rule = "MQTT";

    /// <summary>Creates an exception with a free-form message, its cause and no rule.</summary>
    public MqttProtocolException(string message, Exception innerException) : base(message, innerException) => Rule = "MQTT";

    /// <summary>Creates an exception for <paramref name="packetType"/>'s <paramref name="field"/> breaking <paramref name="rule"/>.</summary>
    /// <param name="packetType">The packet, when known (not known for an unreadable fixed header).</param>
    /// <param name="field">The field, e.g. "topic name" or "remaining length".</param>
    /// <param name="reason">What is wrong, lowercase, e.g. "contains U+0000".</param>
    /// <param name="rule">The specification's rule id without brackets, e.g. "MQTT-1.5.3-2", or a section ("MQTT-2.2.3").</param>
    /// <param name="connectReturnCode">For CONNECT: the CONNACK code a server sends before closing, if the specification requires one.</param>
    public MqttProtocolException(MqttPacketType? packetType, string field, string reason, string rule, MqttConnectReturnCode? connectReturnCode = null)
        : base(packetType is null ? $"{field}: {reason} [{rule}]" : $"{Describe(packetType)} {field}: {reason} [{rule}]")
    {
        PacketType = packetType;
        Field = field;
        Rule = rule;
        ConnectReturnCode = connectReturnCode;
    }

    /// <summary>The packet that broke the rule, when known.</summary>
    public MqttPacketType? PacketType { get; }

    /// <summary>The field that broke the rule, when known.</summary>
    public string? Field { get; }

    /// <summary>The rule id of the specification, e.g. <c>MQTT-3.1.2-22</c> (a section id where the rule has no number).</summary>
    public string Rule { get; }

    /// <summary>For a refused CONNECT: the CONNACK return code the server answers with before closing.</summary>
    public MqttConnectReturnCode? ConnectReturnCode { get; }

    internal static string Describe(MqttPacketType? type) => type switch
    {
        null => "packet",
        MqttPacketType.ConnAck => "CONNACK",
        MqttPacketType.PubAck => "PUBACK",
        MqttPacketType.PubRec => "PUBREC",
        MqttPacketType.PubRel => "PUBREL",
        MqttPacketType.PubComp => "PUBCOMP",
        MqttPacketType.SubAck => "SUBACK",
        MqttPacketType.UnsubAck => "UNSUBACK",
        MqttPacketType.PingReq => "PINGREQ",
        MqttPacketType.PingResp => "PINGRESP",
        _ => type.Value.ToString().ToUpperInvariant(),
    };
}
