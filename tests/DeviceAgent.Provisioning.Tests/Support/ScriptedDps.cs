using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DeviceAgent.Provisioning.Wire;
using DeviceAgent.TestPeers;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

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
/// A scripted DPS over plain MQTT on loopback (the protocol layer, no TLS), on MQTTnet's server
/// (an independent MQTT 3.1.1 peer): each request is answered by the script, which sees the
/// request and everything received so far. Connections are served one at a time, as a device makes them.
/// </summary>
internal sealed class ScriptedDps : IAsyncDisposable
{
    private readonly Func<DpsRequest, IReadOnlyList<DpsRequest>, DpsAction> _script;
    private readonly ConcurrentQueue<DpsRequest> _requests = new();
    private readonly MqttServer _server;
    private readonly int _port;
    private int _connections;
    private string? _userName;

    private ScriptedDps(Func<DpsRequest, IReadOnlyList<DpsRequest>, DpsAction> script, MqttConnectReasonCode connAck, int port)
    {
        _script = script;
        _port = port;
        ConnAck = connAck;
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += e =>
        {
            Interlocked.Increment(ref _connections);
            Volatile.Write(ref _userName, e.UserName);
            e.ReasonCode = ConnAck;
            return Task.CompletedTask;
        };
        _server.InterceptingPublishAsync += OnPublishAsync;
    }

    public MqttConnectReasonCode ConnAck { get; }

    public IReadOnlyList<DpsRequest> Requests => [.. _requests];

    public int Connections => Volatile.Read(ref _connections);

    public static async Task<ScriptedDps> StartAsync(Func<DpsRequest, IReadOnlyList<DpsRequest>, DpsAction> script, MqttConnectReasonCode connAck = MqttConnectReasonCode.Success)
    {
        var dps = new ScriptedDps(script, connAck, FreePort.Next());
        await dps._server.StartAsync();
        return dps;
    }

    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _port, cancellationToken);
        return new NetworkStream(client.Client, ownsSocket: true);
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (string.Equals(e.ClientId, ResponderId, StringComparison.Ordinal))
            return; // our own response on its way to the device
        e.ProcessPublish = false; // requests go to the script, not to subscribers
        var register = topic.StartsWith(DpsTopics.RegisterPrefix, StringComparison.Ordinal);
        var query = QueryString.Parse(topic[(topic.IndexOf('?', StringComparison.Ordinal) + 1)..]);
        var request = new DpsRequest(Connections - 1, register, query.GetValueOrDefault("operationId"), DateTimeOffset.UtcNow, Volatile.Read(ref _userName));
        _requests.Enqueue(request);
        switch (_script(request, Requests))
        {
            case DpsAction.Respond respond:
                var response = new MqttApplicationMessageBuilder()
                    .WithTopic(DpsTopics.Response(respond.Status, query["$rid"], respond.RetryAfterSeconds))
                    .WithPayload(Encoding.UTF8.GetBytes(respond.Body))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                await _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(response) { SenderClientId = ResponderId });
                break;
            case DpsAction.Drop:
                var clientId = e.ClientId;
                _ = Task.Run(async () =>
                {
                    foreach (var client in await _server.GetClientsAsync())
                    {
                        if (client.Id == clientId)
                            await client.DisconnectAsync();
                    }
                });
                break;
        }
    }

    private const string ResponderId = "scripted-dps";

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
