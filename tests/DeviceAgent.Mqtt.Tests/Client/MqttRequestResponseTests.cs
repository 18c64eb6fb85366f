using System.Text;
using DeviceAgent.Mqtt.Client;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Server;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Client;

/// <summary>The RPC helper between our client session and our server connection, DPS-style.</summary>
public sealed class MqttRequestResponseTests
{
    private static async Task<(MqttClientSession Session, MqttServerConnection Server)> ConnectAsync()
    {
        var (client, server) = DuplexStream.CreatePair();
        var accepting = Task.Run(async () =>
        {
            var connection = await MqttServerConnection.AcceptAsync(server);
            await connection.SendConnAckAsync(MqttConnectReturnCode.Accepted);
            return connection;
        });
        var session = await MqttClientSession.ConnectAsync(client, new MqttConnectOptions { ClientId = "dev-1", KeepAlive = TimeSpan.Zero });
        return (session, await accepting);
    }

    /// <summary>Answers register requests like DPS: 202 on $dps/registrations/res with the request's $rid; "silent" requests get nothing.</summary>
    private static async Task ServeAsync(MqttServerConnection server)
    {
        while (await server.ReceiveAsync() is { } packet)
        {
            switch (packet)
            {
                case MqttSubscribePacket subscribe:
                    await server.SendAsync(new MqttSubAckPacket(subscribe.PacketId, [MqttSubscribeReturnCode.GrantedQoS1]));
                    break;
                case MqttUnsubscribePacket unsubscribe:
                    await server.SendAsync(new MqttUnsubAckPacket(unsubscribe.PacketId));
                    break;
                case MqttPublishPacket publish when !Encoding.UTF8.GetString(publish.Payload.Span).Contains("silent", StringComparison.Ordinal):
                    var rid = MqttRequestResponse.QueryParameter("$rid")(publish.Topic);
                    _ = server.PublishAsync($"$dps/registrations/res/202/?$rid={rid}&retry-after=3", Encoding.UTF8.GetBytes($"{{\"operationId\":\"op-{rid}\"}}"), MqttQualityOfService.AtLeastOnce);
                    break;
            }
        }
    }

    [Fact]
    public async Task Concurrent_requests_each_get_the_response_carrying_their_id()
    {
        var (session, server) = await ConnectAsync();
        var serving = ServeAsync(server);
        await using (session)
        {
            await using var rpc = await MqttRequestResponse.StartAsync(session, "$dps/registrations/res/#", MqttRequestResponse.QueryParameter("$rid"));

            var requests = Enumerable.Range(0, 20).Select(async _ =>
            {
                var rid = rpc.NextRequestId();
                var response = await rpc.RequestAsync($"$dps/registrations/PUT/iotdps-register/?$rid={rid}", rid, "{}"u8.ToArray(), TimeSpan.FromSeconds(10));
                return (rid, response);
            }).ToArray();

            foreach (var (rid, response) in await Task.WhenAll(requests))
            {
                Assert.Equal($"$dps/registrations/res/202/?$rid={rid}&retry-after=3", response.Topic);
                Assert.Equal($"{{\"operationId\":\"op-{rid}\"}}", Encoding.UTF8.GetString(response.Payload.Span));
            }
        }
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task No_response_is_a_timeout_and_cancellation_is_cancellation()
    {
        var (session, server) = await ConnectAsync();
        var serving = ServeAsync(server);
        await using var disposeSession = session;
        await using var rpc = await MqttRequestResponse.StartAsync(session, "$dps/registrations/res/#", MqttRequestResponse.QueryParameter("$rid"));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => rpc.RequestAsync("$dps/registrations/PUT/iotdps-register/?$rid=9", "9", "silent"u8.ToArray(), TimeSpan.FromMilliseconds(50)));
        Assert.Contains("'9'", timeout.Message, StringComparison.Ordinal);

        using var cancel = new CancellationTokenSource();
        var pending = rpc.RequestAsync("$dps/registrations/PUT/iotdps-register/?$rid=10", "10", "silent"u8.ToArray(), TimeSpan.FromMinutes(5), cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        // The ids are free again.
        var again = await rpc.RequestAsync("$dps/registrations/PUT/iotdps-register/?$rid=9", "9", "{}"u8.ToArray(), TimeSpan.FromSeconds(10));
        Assert.StartsWith("$dps/registrations/res/202/?$rid=9&", again.Topic, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$dps/registrations/res/202/?$rid=42&retry-after=3", "42")]
    [InlineData("$dps/registrations/res/200/?$rid=a%20b", "a b")]
    [InlineData("$iothub/twin/res/204/?$rid=7&$version=3", "7")]
    [InlineData("$dps/registrations/res/202/?retry-after=3", null)]
    [InlineData("$dps/registrations/res/202/", null)]
    public void Query_parameter_correlation_reads_the_request_id(string topic, string? expected) =>
        Assert.Equal(expected, MqttRequestResponse.QueryParameter("$rid")(topic));
}
