using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>
/// One MQTT 3.1.1 control packet. Instances are immutable once built; encode them with
/// <see cref="MqttPacketWriter"/> and obtain them from bytes with <see cref="MqttPacketReader"/>.
/// Encoding validates against the specification and throws <see cref="MqttProtocolException"/>
/// rather than produce a packet the peer would have to refuse.
/// </summary>
public abstract class MqttPacket
{
    private protected MqttPacket() { }

    /// <summary>The control packet type.</summary>
    public abstract MqttPacketType Type { get; }

    /// <summary>The low four bits of the fixed header.</summary>
    internal virtual byte FixedHeaderFlags => 0;

    /// <summary>Validates the packet and returns its remaining length (variable header and payload).</summary>
    /// <exception cref="MqttProtocolException">The packet breaks a rule of the specification.</exception>
    internal abstract int MeasureBody();

    /// <summary>Writes the variable header and payload; <see cref="MeasureBody"/> has run.</summary>
    internal abstract void WriteBody(ref MqttBodyWriter writer);

    /// <inheritdoc/>
    public override string ToString() => MqttProtocolException.Describe(Type);
}
