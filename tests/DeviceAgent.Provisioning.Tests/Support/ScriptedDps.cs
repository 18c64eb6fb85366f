using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DeviceAgent.Mqtt;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Server;
using DeviceAgent.Provisioning.Wire;

namespace DeviceAgent.Provisioning.Tests.Support;

/// <summary>A request the double received.</summary>
/// <param name="Connection">Which connection (0-based) it arrived on.</param>
/// <param name="IsRegister">Register (true) or operation status (false).</param>
/// <param name="OperationId">The polled operation.</param>
/// <param name="ReceivedUtc">When.</param>
/// <param name="UserName">The connection's MQTT user name.</param>
internal sealed record DpsRequest(int Connection, bool IsRegister, string? OperationId, DateTimeOffset ReceivedUtc, string? UserName);

/// <summary>What the double does with a request.</summary>
internal abstract record DpsAction
{
    /// <summary>Answer on the response topic.</summary>
    public sealed record Respond(int Status, string Body, int? RetryAfterSeconds = null) : DpsAction;

    /// <summary>Close the connection without answering.</summary>
    public sealed record Drop : DpsAction;

    /// <summary>Never answer.</summary>
    public sealed record Ignore : DpsAction;

    public static Respond Assigning(string operationId = "op-1", int? retryAfter = 0) =>
        new(202, $$"""{"operationId":"{{operationId}}","status":"assigning"}""", retryAfter);

    public static Respond Assigned(string operationId = "op-1") =>
        new(200, $$$"""{"operationId":"{{{operationId}}}","status":"assigned","registrationState":{"registrationId":"device-1","assignedHub":"hub.example:8884","deviceId":"device-1","status":"assigned","substatus":"initialAssignment"}}""");
}

/// <summary>
/// A scripted DPS over plain MQTT on loopback (the protocol layer, no TLS), built on our MQTT
/// server connection: each request is answered by the script, which sees the request and
/// everything received so far.
/// </summary>
internal sealed class ScriptedDps : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<DpsRequest, IReadOnlyList<DpsRequest>, DpsAction> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<DpsRequest> _requests = new();
    private readonly Task _loop;
    private int _connections;

    public ScriptedDps(Func<DpsRequest, IReadOnlyList<DpsRequest>, DpsAction> script, MqttConnectReturnCode connAck = MqttConnectReturnCode.Accepted)
    {
        _script = script;
        ConnAck = connAck;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public MqttConnectReturnCode ConnAck { get; }

    public IReadOnlyList<DpsRequest> Requests => [.. _requests];

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)_listener.LocalEndpoint).Port, cancellationToken);
        return client.GetStream();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var index = Interlocked.Increment(ref _connections) - 1;
            _ = Task.Run(() => ServeAsync(client, index));
        }
    }

    private async Task ServeAsync(TcpClient client, int index)
    {
        using var _ = client;
        try
        {
            await using var connection = await MqttServerConnection.AcceptAsync(client.GetStream(), cancellationToken: _stop.Token);
            await connection.SendConnAckAsync(ConnAck, cancellationToken: _stop.Token);
            if (ConnAck != MqttConnectReturnCode.Accepted)
                return;
            while (await connection.ReceiveAsync(_stop.Token) is { } packet)
            {
                if (packet is MqttSubscribePacket subscribe)
                {
                    await connection.SendAsync(new MqttSubAckPacket(subscribe.PacketId, subscribe.Filters.Select(_ => MqttSubscribeReturnCode.GrantedQoS1)), _stop.Token);
                    continue;
                }
                if (packet is MqttUnsubscribePacket unsubscribe)
                {
                    await connection.SendAsync(new MqttUnsubAckPacket(unsubscribe.PacketId), _stop.Token);
                    continue;
                }
                if (packet is not MqttPublishPacket publish)
                    continue;
                var register = publish.Topic.StartsWith(DpsTopics.RegisterPrefix, StringComparison.Ordinal);
                var query = QueryString.Parse(publish.Topic[(publish.Topic.IndexOf('?', StringComparison.Ordinal) + 1)..]);
                var request = new DpsRequest(index, register, query.GetValueOrDefault("operationId"), DateTimeOffset.UtcNow, connection.Connect.UserName);
                _requests.Enqueue(request);
                switch (_script(request, Requests))
                {
                    case DpsAction.Respond respond:
                        await connection.PublishAsync(DpsTopics.Response(respond.Status, query["$rid"], respond.RetryAfterSeconds),
                            Encoding.UTF8.GetBytes(respond.Body), MqttQualityOfService.AtLeastOnce, cancellationToken: _stop.Token);
                        break;
                    case DpsAction.Drop:
                        return;
                }
            }
        }
        catch (Exception e) when (e is MqttException or IOException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
