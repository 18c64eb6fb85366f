using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Transport;

/// <summary>
/// Packet-identifier bookkeeping of one MQTT session, for either role (section 4.3): the
/// identifiers in use by packets awaiting acknowledgment, the QoS 1/2 sender state machines,
/// and the QoS 2 receiver's "PUBREC sent, PUBREL awaited" set that makes delivery exactly-once.
/// Thread-safe. Outlives connections: a reconnecting client keeps it to retransmit.
/// </summary>
internal sealed class MqttPacketFlow
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ushort, MqttPendingPacket> _pending = [];
    private readonly HashSet<ushort> _awaitingRelease = [];
    private ushort _lastId;
    private long _sequence;

    public int PendingCount
    {
        get
        {
            lock (_lock)
                return _pending.Count;
        }
    }

    /// <summary>Registers a QoS 1/2 PUBLISH under a fresh identifier.</summary>
    /// <exception cref="MqttException">All 65,535 identifiers are in use.</exception>
    public MqttPendingPacket BeginPublish(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
    {
        lock (_lock)
            return Add(new MqttPendingPacket(NextId(), ++_sequence, topic, payload, qos, retain));
    }

    /// <summary>Registers a SUBSCRIBE or UNSUBSCRIBE under a fresh identifier.</summary>
    /// <exception cref="MqttException">All 65,535 identifiers are in use.</exception>
    public MqttPendingPacket BeginRequest(Func<ushort, MqttPacket> build)
    {
        lock (_lock)
            return Add(new MqttPendingPacket(NextId(), ++_sequence, build));
    }

    /// <summary>Forgets a packet whose caller gave up (cancellation); a late acknowledgment is then ignored.</summary>
    public void Abandon(MqttPendingPacket packet, CancellationToken token)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(packet.PacketId, out var current) && current == packet)
                _pending.Remove(packet.PacketId);
        }
        packet.Cancel(token);
    }

    /// <summary>Everything awaiting acknowledgment, in the order it was first sent.</summary>
    public MqttPendingPacket[] Snapshot()
    {
        lock (_lock)
            return [.. _pending.Values.OrderBy(p => p.Sequence)];
    }

    /// <summary>Fails everything pending (the session ended).</summary>
    public void FailAll(Exception error)
    {
        MqttPendingPacket[] all;
        lock (_lock)
        {
            all = [.. _pending.Values];
            _pending.Clear();
            _awaitingRelease.Clear();
        }
        foreach (var packet in all)
            packet.Fail(error);
    }

    /// <summary>
    /// Handles an acknowledgment from the peer. Returns the packet to answer with (PUBREL for
    /// PUBREC, PUBCOMP for PUBREL) or null. An acknowledgment for an unknown identifier is
    /// ignored (PUBREC and PUBREL still get their answer, as mosquitto does); one that does not
    /// fit the QoS of the pending PUBLISH is a protocol violation.
    /// </summary>
    /// <exception cref="MqttProtocolException">The acknowledgment does not fit the pending packet.</exception>
    public MqttPacket? OnAcknowledgment(MqttPacket packet)
    {
        switch (packet)
        {
            case MqttPubAckPacket ack:
                Finish(ack.PacketId, ack, p => p.Request is null && p.QualityOfService == MqttQualityOfService.AtLeastOnce, "MQTT-4.8.0-1");
                return null;
            case MqttPubRecPacket rec:
                lock (_lock)
                {
                    if (_pending.TryGetValue(rec.PacketId, out var pending))
                    {
                        if (pending.Request is not null || pending.QualityOfService != MqttQualityOfService.ExactlyOnce)
                            throw Mismatch(rec, rec.PacketId, "MQTT-4.3.2-1");
                        pending.Released = true;
                    }
                }
                return new MqttPubRelPacket(rec.PacketId);
            case MqttPubCompPacket comp:
                Finish(comp.PacketId, comp, p => p.Request is null && p.QualityOfService == MqttQualityOfService.ExactlyOnce && p.Released, "MQTT-4.8.0-1");
                return null;
            case MqttPubRelPacket rel:
                lock (_lock)
                    _awaitingRelease.Remove(rel.PacketId);
                return new MqttPubCompPacket(rel.PacketId);
            case MqttSubAckPacket subAck:
                Finish(subAck.PacketId, subAck, p => p.Request is MqttSubscribePacket, "MQTT-3.8.4-2");
                return null;
            case MqttUnsubAckPacket unsubAck:
                Finish(unsubAck.PacketId, unsubAck, p => p.Request is MqttUnsubscribePacket, "MQTT-3.10.4-4");
                return null;
            default:
                throw new ArgumentException($"{packet.Type} is not an acknowledgment", nameof(packet));
        }
    }

    /// <summary>
    /// QoS 2 receiver, method B (section 4.3.3): true when the PUBLISH is new and must be
    /// delivered; false for a re-delivery of one whose PUBREL has not arrived yet.
    /// </summary>
    public bool OnExactlyOncePublish(ushort packetId)
    {
        lock (_lock)
            return _awaitingRelease.Add(packetId);
    }

    /// <summary>A new session on the server: no QoS 2 message of the old one is awaiting PUBREL any more.</summary>
    public void ResetReceiver()
    {
        lock (_lock)
            _awaitingRelease.Clear();
    }

    private void Finish(ushort id, MqttPacket ack, Func<MqttPendingPacket, bool> fits, string rule)
    {
        MqttPendingPacket? pending;
        lock (_lock)
        {
            if (!_pending.TryGetValue(id, out pending))
                return;
            if (!fits(pending))
            {
                // The rule of the flow the pending packet is in: QoS 1 wants PUBACK, QoS 2 PUBREC/PUBCOMP.
                throw Mismatch(ack, id, pending.Request is not null ? rule
                    : pending.QualityOfService == MqttQualityOfService.AtLeastOnce ? "MQTT-4.3.2-1" : "MQTT-4.3.3-1");
            }
            _pending.Remove(id);
        }
        pending.Complete(ack);
    }

    private static MqttProtocolException Mismatch(MqttPacket ack, ushort id, string rule) =>
        new(ack.Type, "packet identifier", $"{id} names a pending packet this acknowledgment does not fit", rule);

    private MqttPendingPacket Add(MqttPendingPacket packet)
    {
        _pending.Add(packet.PacketId, packet);
        return packet;
    }

    private ushort NextId()
    {
        if (_pending.Count >= ushort.MaxValue)
            throw new MqttException("all 65,535 packet identifiers are in use by unacknowledged packets");
        do
        {
            _lastId = _lastId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastId + 1);
        }
        while (_pending.ContainsKey(_lastId));
        return _lastId;
    }
}
