using DeviceAgent.Provisioning.Transport;
using DeviceAgent.Provisioning.Wire;
using MQTTnet;
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
    [InlineData("{scope}/registrations/device-1/api-version=2019-03-31", MqttClientConnectResultCode.Success)]
    [InlineData("{scope}/registrations/device-1/api-version=2021-06-01&ClientVersion=azure-iot-provisioning-device%2F1.9.1", MqttClientConnectResultCode.Success)]
    [InlineData("{scope}/registrations/device-1", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData("device-1", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData("0ne00000000/registrations/device-1/api-version=2019-03-31", MqttClientConnectResultCode.NotAuthorized)]
    [InlineData("{scope}/registrations/device-2/api-version=2019-03-31", MqttClientConnectResultCode.ClientIdentifierNotValid)]
    public async Task Connect_checks_the_user_name_form_id_scope_and_client_id(string userName, MqttClientConnectResultCode expected)
    {
        var connect = _endpoint.OpenDpsSessionAsync(_pki[1], userName.Replace("{scope}", _endpoint.Configuration.IdScope, StringComparison.Ordinal));
        if (expected == MqttClientConnectResultCode.Success)
        {
            await using var session = await connect;
            Assert.False(session.Completion.IsCompleted, "the accepted connection ended at once");
            return;
        }
        var refused = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => connect);
        Assert.Equal(expected, refused.ResultCode);
    }

    [Fact]
    public async Task Register_answers_202_assigning_with_retry_after_and_the_rid_echoed()
    {
        var (topic, body) = await _endpoint.RequestOnceAsync(_pki[1], DpsTopics.Register("opaque-rid_42"), """{"registrationId":"device-1","payload":{"model":"pi4"}}""");

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
        var (topic, response) = await _endpoint.RequestOnceAsync(_pki[1], DpsTopics.Register("1"), body);

        Assert.StartsWith("$dps/registrations/res/400/?$rid=1", topic, StringComparison.Ordinal);
        Assert.Contains("\"errorCode\":400004", response, StringComparison.Ordinal);
        Assert.Contains(reason, response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_an_operation_of_another_device_is_404()
    {
        var (_, register) = await _endpoint.RequestOnceAsync(_pki[2], DpsTopics.Register("1"), """{"registrationId":"device-2"}""");
        var operationId = System.Text.Json.JsonDocument.Parse(register).RootElement.GetProperty("operationId").GetString()!;

        var (topic, body) = await _endpoint.RequestOnceAsync(_pki[1], DpsTopics.OperationStatus("2", operationId), " ");

        Assert.StartsWith("$dps/registrations/res/404/?$rid=2", topic, StringComparison.Ordinal);
        Assert.Contains("\"errorCode\":404002", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sixth_poll_within_ten_seconds_is_throttled_with_retry_after()
    {
        await using var session = await _endpoint.OpenDpsSessionAsync(_pki[3]);
        var rpc = await DpsSession.StartRequestsAsync(session);
        var register = await rpc.RequestAsync(DpsTopics.Register("r"), "r", """{"registrationId":"device-3"}"""u8.ToArray(), TimeSpan.FromSeconds(10), CancellationToken.None);
        var operationId = System.Text.Json.JsonDocument.Parse(register.Payload).RootElement.GetProperty("operationId").GetString()!;

        var statuses = new List<int>();
        TimeSpan? lastRetryAfter = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await rpc.RequestAsync(DpsTopics.OperationStatus($"p{i}", operationId), $"p{i}", " "u8.ToArray(), TimeSpan.FromSeconds(10), CancellationToken.None);
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
        await using var session = await _endpoint.OpenDpsSessionAsync(_pki[1]);

        // QoS 1: the endpoint may close the connection before its PUBACK, which fails the publish.
        _ = await Record.ExceptionAsync(() => session.PublishAsync("devices/device-1/messages/events/", "x"u8.ToArray(), CancellationToken.None));

        await session.AssertClosedByTheEndpointAsync("the DPS listener kept the connection");
    }
}
