namespace DeviceAgent.Mqtt.Packets;

/// <summary>PINGREQ: keep-alive probe from the client (section 3.12). Stateless: use <see cref="Instance"/>.</summary>
public sealed class MqttPingReqPacket : MqttEmptyPacket
{
    private MqttPingReqPacket() { }

    /// <summary>The one instance.</summary>
    public static MqttPingReqPacket Instance { get; } = new();

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PingReq;
}
