using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Transport;

/// <summary>
/// A packet this side sent that awaits its acknowledgment: a QoS 1/2 PUBLISH (PUBACK, or
/// PUBREC then PUBCOMP) or a SUBSCRIBE/UNSUBSCRIBE (SUBACK/UNSUBACK). It keeps what a
/// retransmission needs; completion runs continuations asynchronously (never on the reader loop).
/// </summary>
internal sealed class MqttPendingPacket
{
    private readonly TaskCompletionSource<MqttPacket?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A pending PUBLISH. The payload is the caller's memory: it must stay unchanged until completion.</summary>
    public MqttPendingPacket(ushort packetId, long sequence, string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
    {
        PacketId = packetId;
        Sequence = sequence;
        Topic = topic;
        Payload = payload;
        QualityOfService = qos;
        Retain = retain;
    }

    /// <summary>A pending SUBSCRIBE or UNSUBSCRIBE, made by <paramref name="build"/> for its identifier.</summary>
    public MqttPendingPacket(ushort packetId, long sequence, Func<ushort, MqttPacket> build)
    {
        PacketId = packetId;
        Sequence = sequence;
        Request = build(packetId);
        Topic = string.Empty;
    }

    public ushort PacketId { get; }

    /// <summary>Order of first sending: retransmissions keep it [MQTT-4.6.0-1].</summary>
    public long Sequence { get; }

    /// <summary>The SUBSCRIBE or UNSUBSCRIBE; null for a PUBLISH.</summary>
    public MqttPacket? Request { get; }

    public string Topic { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public MqttQualityOfService QualityOfService { get; }

    public bool Retain { get; }

    /// <summary>QoS 2: PUBREC arrived and PUBREL was sent; PUBCOMP is awaited.</summary>
    public bool Released { get; set; }

    /// <summary>Completes with the acknowledging packet (SUBACK, UNSUBACK, PUBACK, PUBCOMP) or null.</summary>
    public Task<MqttPacket?> Completion => _completion.Task;

    public void Complete(MqttPacket? acknowledgment) => _completion.TrySetResult(acknowledgment);

    public void Fail(Exception error) => _completion.TrySetException(error);

    public void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
}
