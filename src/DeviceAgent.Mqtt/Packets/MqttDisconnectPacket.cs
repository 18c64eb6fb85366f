namespace DeviceAgent.Mqtt.Packets;

/// <summary>DISCONNECT: the client's last packet before it closes the connection (section 3.14). Stateless: use <see cref="Instance"/>.</summary>
public sealed class MqttDisconnectPacket : MqttEmptyPacket
{
    private MqttDisconnectPacket() { }

    /// <summary>The one instance.</summary>
    public static MqttDisconnectPacket Instance { get; } = new();

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Disconnect;
}
