using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>A packet with no variable header and no payload: PINGREQ, PINGRESP, DISCONNECT.</summary>
public abstract class MqttEmptyPacket : MqttPacket
{
    private protected MqttEmptyPacket() { }

    internal override int MeasureBody() => 0;

    internal override void WriteBody(ref MqttBodyWriter writer) { }
}
