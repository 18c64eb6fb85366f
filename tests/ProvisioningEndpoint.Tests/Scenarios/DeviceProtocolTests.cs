using System.Text;
using DeviceAgent.Mqtt;
using DeviceAgent.Mqtt.Client;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Wire;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Scenarios;

/// <summary>The DPS MQTT protocol at the wire: user names, topics, statuses, retry-after, throttling, bad requests.</summary>
public sealed class DeviceProtocolTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync(throttlePolls: true, retryAfterSeconds: 3);
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Theory]
    [InlineData("{scope}/registrations/device-1/api-version=2019-03-31", MqttConnectReturnCode.Accepted)]
    [InlineData("{scope}/registrations/device-1/api-version=2021-06-01&ClientVersion=azure-iot-provisioning-device%2F1.9.1", MqttConnectReturnCode.Accepted)]
    [InlineData("{scope}/registrations/device-1", MqttConnectReturnCode.BadUserNameOrPassword)]
    [InlineData("device-1", MqttConnectReturnCode.BadUserNameOrPassword)]
    [InlineData("0ne00000000/registrations/device-1/api-version=2019-03-31", MqttConnectReturnCode.NotAuthorized)]
    [InlineData("{scope}/registrations/device-2/api-version=2019-03-31", MqttConnectReturnCode.IdentifierRejected)]
    public async Task Connect_checks_the_user_name_form_id_scope_and_client_id(string userName, MqttConnectReturnCode expected)
    {
        var connect = ConnectAsync(_pki[1], userName.Replace("{scope}", _endpoint.Configuration.IdScope, StringComparison.Ordinal));
        if (expected == MqttConnectReturnCode.Accepted)
        {
            await using var session = await connect;
            Assert.True(session.IsConnected);
            return;
        }
        var refused = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => connect);
        Assert.Equal(expected, refused.ReturnCode);
    }

    [Fact]
    public async Task Register_answers_202_assigning_with_retry_after_and_the_rid_echoed()
    {
        var (topic, body) = await RequestAsync(_pki[1], DpsTopics.Register("opaque-rid_42"), """{"registrationId":"device-1","payload":{"model":"pi4"}}""");

        Assert.True(DpsTopics.TryParseResponse(topic, out var status, out var rid, out var retryAfter));
        Assert.Equal((202, "opaque-rid_42", TimeSpan.FromSeconds(3)), (status, rid, retryAfter));
        Assert.Contains("\"status\":\"assigning\"", body, StringComparison.Ordinal);
        Assert.Contains("\"operationId\":\"", body, StringComparison.Ordinal);
        Assert.Equal("""{"model":"pi4"}""", (await _endpoint.Store.GetRegistrationAsync("device-1"))!.PayloadJson);
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    [InlineData("{}", "has no registrationId")]
    [InlineData("""{"registrationId":"device-9"}""", "is not the connection's 'device-1'")]
    public async Task Bad_register_bodies_get_400_with_the_reason(string body, string reason)
    {
        var (topic, response) = await RequestAsync(_pki[1], DpsTopics.Register("1"), body);

        Assert.StartsWith("$dps/registrations/res/400/?$rid=1", topic, StringComparison.Ordinal);
        Assert.Contains("\"errorCode\":400004", response, StringComparison.Ordinal);
        Assert.Contains(reason, response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_an_operation_of_another_device_is_404()
    {
        var (_, register) = await RequestAsync(_pki[2], DpsTopics.Register("1"), """{"registrationId":"device-2"}""");
        var operationId = System.Text.Json.JsonDocument.Parse(register).RootElement.GetProperty("operationId").GetString()!;

        var (topic, body) = await RequestAsync(_pki[1], DpsTopics.OperationStatus("2", operationId), " ");

        Assert.StartsWith("$dps/registrations/res/404/?$rid=2", topic, StringComparison.Ordinal);
        Assert.Contains("\"errorCode\":404002", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sixth_poll_within_ten_seconds_is_throttled_with_retry_after()
    {
        await using var session = await ConnectAsync(_pki[3], $"{_endpoint.Configuration.IdScope}/registrations/device-3/api-version=2019-03-31");
        await using var rpc = await MqttRequestResponse.StartAsync(session, DpsTopics.ResponseFilter, MqttRequestResponse.QueryParameter("$rid"));
        var register = await rpc.RequestAsync(DpsTopics.Register("r"), "r", Encoding.UTF8.GetBytes("""{"registrationId":"device-3"}"""), TimeSpan.FromSeconds(10));
        var operationId = System.Text.Json.JsonDocument.Parse(register.Payload).RootElement.GetProperty("operationId").GetString()!;

        var statuses = new List<int>();
        TimeSpan? lastRetryAfter = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await rpc.RequestAsync(DpsTopics.OperationStatus($"p{i}", operationId), $"p{i}", " "u8.ToArray(), TimeSpan.FromSeconds(10));
            Assert.True(DpsTopics.TryParseResponse(response.Topic, out var status, out _, out lastRetryAfter), response.Topic);
            statuses.Add(status);
        }

        Assert.Equal([200, 200, 200, 200, 200, 429], statuses);
        Assert.NotNull(lastRetryAfter);
        Assert.InRange(lastRetryAfter.Value.TotalSeconds, 1, 10);
    }

    [Fact]
    public async Task A_publish_to_a_topic_DPS_does_not_serve_ends_the_connection()
    {
        await using var session = await ConnectAsync(_pki[1], $"{_endpoint.Configuration.IdScope}/registrations/device-1/api-version=2019-03-31");

        await session.PublishAsync("devices/device-1/messages/events/", "x"u8.ToArray());

        var closed = await Record.ExceptionAsync(() => session.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsType<MqttException>(closed);
        Assert.False(session.IsConnected);
    }

    private async Task<(string Topic, string Body)> RequestAsync(TestDevice device, string topic, string body)
    {
        await using var session = await ConnectAsync(device, $"{_endpoint.Configuration.IdScope}/registrations/{device.RegistrationId}/api-version=2019-03-31");
        await using var rpc = await MqttRequestResponse.StartAsync(session, DpsTopics.ResponseFilter, MqttRequestResponse.QueryParameter("$rid"));
        var rid = QueryString.Parse(topic[(topic.IndexOf('?', StringComparison.Ordinal) + 1)..])["$rid"];
        var response = await rpc.RequestAsync(topic, rid, Encoding.UTF8.GetBytes(body), TimeSpan.FromSeconds(10));
        return (response.Topic, Encoding.UTF8.GetString(response.Payload.Span));
    }

    private async Task<MqttClientSession> ConnectAsync(TestDevice device, string userName)
    {
        using var bundle = ChainBundle.Create(device.FullChain, device.RegistrationId);
        using var identity = TlsClientIdentity.Create(bundle, device.Key);
        var stream = await MutualTlsConnector.ConnectAsync("localhost", _endpoint.Configuration.DevicePort, identity, TlsServerTrust.FromPemFile(_endpoint.ServerCaPath));
        return await MqttClientSession.ConnectAsync(stream, new MqttConnectOptions { ClientId = device.RegistrationId, UserName = userName });
    }
}
