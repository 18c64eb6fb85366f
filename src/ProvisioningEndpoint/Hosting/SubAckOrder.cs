using System.Collections.Concurrent;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// Puts SUBACK return codes back in the order of the SUBSCRIBE's topic filters, as MQTT 3.1.1
/// requires [MQTT-3.9.3-1]. MQTTnet 5.2 processes a SUBSCRIBE's filters highest QoS first (so that
/// the higher QoS wins among overlapping filters) and writes the return codes in that order: a
/// client that subscribed <c>a</c> at QoS 0 and <c>b</c> at QoS 1 would read <c>b</c>'s code as
/// <c>a</c>'s. The order MQTTnet used is recorded when the SUBSCRIBE comes in (a stable sort by QoS,
/// descending, as MQTTnet's) and undone on the SUBACK with the same packet identifier.
/// </summary>
public static class SubAckOrder
{
    private static readonly object Key = new();

    /// <summary>Attaches the correction to <paramref name="server"/>.</summary>
    public static void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.InterceptingInboundPacketAsync += e =>
        {
            if (e.Packet is MqttSubscribePacket { TopicFilters.Count: > 1 } subscribe)
            {
                var order = subscribe.TopicFilters.Select((filter, index) => (filter.QualityOfServiceLevel, index))
                    .OrderByDescending(f => f.QualityOfServiceLevel).Select(f => f.index).ToArray();
                if (!order.SequenceEqual(Enumerable.Range(0, order.Length)))
                    Pending(e.SessionItems)[subscribe.PacketIdentifier] = order;
            }
            return Task.CompletedTask;
        };
        server.InterceptingOutboundPacketAsync += e =>
        {
            if (e.Packet is MqttSubAckPacket suback && e.SessionItems[Key] is ConcurrentDictionary<ushort, int[]> pending
                && pending.TryRemove(suback.PacketIdentifier, out var order) && order.Length == suback.ReasonCodes.Count)
            {
                var codes = new MqttSubscribeReasonCode[order.Length];
                for (var processed = 0; processed < order.Length; processed++)
                    codes[order[processed]] = suback.ReasonCodes[processed];
                suback.ReasonCodes = [.. codes];
            }
            return Task.CompletedTask;
        };
    }

    private static ConcurrentDictionary<ushort, int[]> Pending(System.Collections.IDictionary sessionItems)
    {
        if (sessionItems[Key] is not ConcurrentDictionary<ushort, int[]> pending)
            sessionItems[Key] = pending = new ConcurrentDictionary<ushort, int[]>();
        return pending;
    }
}
