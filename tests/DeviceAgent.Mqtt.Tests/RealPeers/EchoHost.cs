using System.Net;
using System.Net.Sockets;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Server;

namespace DeviceAgent.Mqtt.Tests.RealPeers;

/// <summary>
/// A tiny host on <see cref="MqttServerConnection"/> for the real-client tests: listens on a
/// free loopback port, accepts every client, grants every subscription, and hands each PUBLISH
/// to every connection subscribed to a matching filter (including the sender).
/// </summary>
internal sealed class EchoHost : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<(MqttServerConnection Connection, string Filter, MqttQualityOfService Qos)> _subscriptions = [];
    private readonly List<Task> _clients = [];
    private readonly Task _accepting;

    public EchoHost()
    {
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every SUBSCRIBE filter seen (tests wait on it before publishing).</summary>
    public int SubscriptionCount
    {
        get
        {
            lock (_lock)
                return _subscriptions.Count;
        }
    }

    /// <summary>Client ids that connected.</summary>
    public List<string> ClientIds { get; } = [];

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_lock)
                    _clients.Add(Task.Run(() => ServeAsync(socket)));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(TcpClient socket)
    {
        MqttServerConnection connection;
        try
        {
            connection = await MqttServerConnection.AcceptAsync(socket.GetStream(), cancellationToken: _stop.Token);
        }
        catch (Exception e) when (e is MqttException or OperationCanceledException)
        {
            socket.Dispose();
            return;
        }
        await using (connection)
        {
            lock (_lock)
                ClientIds.Add(connection.ClientId);
            await connection.SendConnAckAsync(MqttConnectReturnCode.Accepted);
            try
            {
                while (await connection.ReceiveAsync(_stop.Token) is { } packet)
                {
                    switch (packet)
                    {
                        case MqttSubscribePacket subscribe:
                            lock (_lock)
                                _subscriptions.AddRange(subscribe.Filters.Select(f => (connection, f.Filter, f.QualityOfService)));
                            await connection.SendAsync(new MqttSubAckPacket(subscribe.PacketId, subscribe.Filters.Select(f => (MqttSubscribeReturnCode)f.QualityOfService)));
                            break;
                        case MqttUnsubscribePacket unsubscribe:
                            lock (_lock)
                                _subscriptions.RemoveAll(s => s.Connection == connection && unsubscribe.Filters.Contains(s.Filter));
                            await connection.SendAsync(new MqttUnsubAckPacket(unsubscribe.PacketId));
                            break;
                        case MqttPublishPacket publish:
                            (MqttServerConnection Connection, string Filter, MqttQualityOfService Qos)[] targets;
                            lock (_lock)
                                targets = [.. _subscriptions.Where(s => MqttTopic.Matches(s.Filter, publish.Topic))];
                            foreach (var target in targets)
                            {
                                var qos = (MqttQualityOfService)Math.Min((int)target.Qos, (int)publish.QualityOfService);
                                _ = target.Connection.PublishAsync(publish.Topic, publish.Payload, qos, cancellationToken: _stop.Token);
                            }
                            break;
                    }
                }
            }
            catch (Exception e) when (e is MqttException or OperationCanceledException)
            {
                // The client went away.
            }
            finally
            {
                lock (_lock)
                    _subscriptions.RemoveAll(s => s.Connection == connection);
                socket.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] clients;
        lock (_lock)
            clients = [.. _clients];
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(10));
        _listener.Dispose();
        _stop.Dispose();
    }
}
