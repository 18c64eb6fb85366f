using System.Text;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Server;

namespace DeviceAgent.Mqtt.Tests.Corpus;

/// <summary>
/// The smallest host a broker test needs, on <see cref="MqttServerConnection"/>: accepts every
/// CONNECT, grants every subscription the QoS asked for, answers UNSUBSCRIBE, and sends a
/// client's own PUBLISH back when it matches one of its subscriptions (at the lower QoS).
/// No retained messages, no other clients.
/// </summary>
internal sealed class CorpusHost
{
    private readonly TaskCompletionSource<MqttServerConnection> _connection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, MqttQualityOfService> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>Why the connection ended, when it was not the client's DISCONNECT.</summary>
    public Exception? Error { get; private set; }

    public async Task RunAsync(Stream stream)
    {
        MqttServerConnection connection;
        try
        {
            connection = await MqttServerConnection.AcceptAsync(stream, new MqttServerOptions { ConnectTimeout = TimeSpan.FromSeconds(10) });
        }
        catch (MqttException e)
        {
            Error = e;
            _connection.TrySetCanceled();
            return;
        }
        await using (connection)
        {
            await connection.SendConnAckAsync(MqttConnectReturnCode.Accepted);
            _connection.TrySetResult(connection);
            while (true)
            {
                MqttPacket? packet;
                try
                {
                    packet = await connection.ReceiveAsync();
                }
                catch (MqttException e)
                {
                    Error = e;
                    return;
                }
                switch (packet)
                {
                    case null:
                        return;
                    case MqttSubscribePacket subscribe:
                        foreach (var filter in subscribe.Filters)
                            _subscriptions[filter.Filter] = filter.QualityOfService;
                        await connection.SendAsync(new MqttSubAckPacket(subscribe.PacketId, subscribe.Filters.Select(f => (MqttSubscribeReturnCode)f.QualityOfService)));
                        break;
                    case MqttUnsubscribePacket unsubscribe:
                        foreach (var filter in unsubscribe.Filters)
                            _subscriptions.Remove(filter);
                        await connection.SendAsync(new MqttUnsubAckPacket(unsubscribe.PacketId));
                        break;
                    case MqttPublishPacket publish:
                        foreach (var (filter, granted) in _subscriptions)
                        {
                            if (MqttTopic.Matches(filter, publish.Topic))
                                _ = connection.PublishAsync(publish.Topic, publish.Payload, (MqttQualityOfService)Math.Min((int)granted, (int)publish.QualityOfService));
                        }
                        break;
                }
            }
        }
    }

    /// <summary>The "publish" step: another client's message arrives for this one.</summary>
    public async Task PublishAsync(string topic, string payload, int qos)
    {
        var connection = await _connection.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _ = connection.PublishAsync(topic, Encoding.UTF8.GetBytes(payload), (MqttQualityOfService)qos);
    }
}
