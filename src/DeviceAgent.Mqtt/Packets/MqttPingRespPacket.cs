namespace DeviceAgent.Mqtt.Packets;

/// <summary>PINGRESP: the server's answer to PINGREQ (section 3.13). Stateless: use <see cref="Instance"/>.</summary>
public sealed class MqttPingRespPacket : MqttEmptyPacket
{
    private MqttPingRespPacket() { }

    /// <summary>The one instance.</summary>
    public static MqttPingRespPacket Instance { get; } = new();

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PingResp;
}
