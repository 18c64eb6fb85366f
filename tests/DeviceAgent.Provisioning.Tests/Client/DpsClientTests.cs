using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Tests.Support;
using MQTTnet.Protocol;

namespace DeviceAgent.Provisioning.Tests.Client;

/// <summary>The DPS client against a scripted DPS: every outcome of the protocol, and its failures.</summary>
public sealed class DpsClientTests
{
    private static readonly DpsClientOptions s_fast = new()
    {
        DefaultPollInterval = TimeSpan.FromMilliseconds(50),
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        ResponseTimeout = TimeSpan.FromSeconds(5),
        OverallTimeout = TimeSpan.FromSeconds(30),
        MaximumRetries = 3,
    };

    [Fact]
    public async Task Registers_polls_and_returns_the_assignment()
    {
        await using var dps = await ScriptedDps.StartAsync((request, _) => request.IsRegister ? DpsAction.Assigning() : DpsAction.Assigned());

        var result = await Register(dps);

        Assert.Equal(("hub.example:8884", "hub.example", 8884, "device-1", "initialAssignment"),
            (result.AssignedHub, result.HubHostName, result.HubPort, result.DeviceId, result.Substatus));
        Assert.Equal([true, false], dps.Requests.Select(r => r.IsRegister));
        Assert.Equal("0ne00000001/registrations/device-1/api-version=2019-03-31", dps.Requests[0].UserName);
        Assert.Equal("op-1", dps.Requests[1].OperationId);
    }

    [Fact]
    public async Task Honours_retry_after_between_polls()
    {
        await using var dps = await ScriptedDps.StartAsync((request, all) => request.IsRegister ? DpsAction.Assigning(retryAfter: 1)
            : all.Count(r => !r.IsRegister) < 2 ? DpsAction.Assigning(retryAfter: 1) : DpsAction.Assigned());

        await Register(dps);

        var times = dps.Requests.Select(r => r.ReceivedUtc).ToArray();
        Assert.Equal(3, times.Length);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"polled after {(times[1] - times[0]).TotalMilliseconds} ms despite retry-after 1");
        Assert.True(times[2] - times[1] >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Throttled_429_waits_its_retry_after_and_asks_again()
    {
        await using var dps = await ScriptedDps.StartAsync((request, all) =>
            all.Count == 1 ? new DpsAction.Respond(429, """{"errorCode":429001,"message":"throttled"}""", 1)
            : request.IsRegister ? DpsAction.Assigning() : DpsAction.Assigned());

        await Register(dps);

        var times = dps.Requests.Select(r => r.ReceivedUtc).ToArray();
        Assert.True(dps.Requests[1].IsRegister, "the register request is repeated after 429");
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), "429's retry-after was not honoured");
    }

    [Fact]
    public async Task Server_error_then_success_retries_on_a_new_connection()
    {
        await using var dps = await ScriptedDps.StartAsync((request, all) =>
            all.Count == 1 ? new DpsAction.Respond(500, """{"errorCode":500000,"message":"internal"}""")
            : request.IsRegister ? DpsAction.Assigning() : DpsAction.Assigned());

        await Register(dps);

        Assert.Equal(2, dps.Connections);
        Assert.Equal([true, true, false], dps.Requests.Select(r => r.IsRegister));
    }

    [Fact]
    public async Task Connection_dropped_mid_poll_resumes_the_same_operation()
    {
        await using var dps = await ScriptedDps.StartAsync((request, all) =>
            request.IsRegister ? DpsAction.Assigning("op-42")
            : request.Connection == 0 ? new DpsAction.Drop()
            : DpsAction.Assigned("op-42"));

        var result = await Register(dps);

        Assert.Equal("op-42", result.OperationId);
        Assert.Equal(2, dps.Connections);
        Assert.Single(dps.Requests, r => r.IsRegister); // resumed polling; did not register again
        Assert.Equal("op-42", dps.Requests[^1].OperationId);
    }

    [Fact]
    public async Task A_response_that_never_comes_gives_up_with_a_clear_error()
    {
        await using var dps = await ScriptedDps.StartAsync((_, _) => new DpsAction.Ignore());
        var options = s_fast with { ResponseTimeout = TimeSpan.FromMilliseconds(300), MaximumRetries = 2 };

        var e = await Assert.ThrowsAsync<ProvisioningException>(() => Register(dps, options));

        Assert.Contains("failed after 2 retries", e.Message, StringComparison.Ordinal);
        Assert.True(e.IsTransient);
        Assert.Equal(3, dps.Connections);
    }

    [Fact]
    public async Task Overall_timeout_bounds_the_whole_registration()
    {
        await using var dps = await ScriptedDps.StartAsync((request, _) => DpsAction.Assigning(retryAfter: 1));
        var options = s_fast with { OverallTimeout = TimeSpan.FromSeconds(2) };

        var e = await Assert.ThrowsAsync<ProvisioningException>(() => Register(dps, options));

        Assert.Contains("did not finish within 2 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_status_is_an_error_naming_it()
    {
        await using var dps = await ScriptedDps.StartAsync((_, _) => new DpsAction.Respond(200, """{"operationId":"op-1","status":"levitating"}"""));

        var e = await Assert.ThrowsAsync<ProvisioningException>(() => Register(dps));

        Assert.Contains("status 'levitating', which this agent does not know", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("failed", "allocation failed")]
    [InlineData("disabled", "is disabled")]
    public async Task Failed_and_disabled_outcomes_carry_DPS_error_and_cause(string status, string cause)
    {
        await using var dps = await ScriptedDps.StartAsync((request, _) => request.IsRegister ? DpsAction.Assigning()
            : new DpsAction.Respond(200, $$$"""{"operationId":"op-1","status":"{{{status}}}","registrationState":{"status":"{{{status}}}","errorCode":401002,"errorMessage":"nope"}}"""));

        var e = await Assert.ThrowsAsync<ProvisioningException>(() => Register(dps));

        Assert.Equal((status, 401002, false), (e.RegistrationStatus, e.ErrorCode, e.IsTransient));
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
        Assert.Contains(cause, e.LikelyCause, StringComparison.Ordinal);
        Assert.Single(dps.Requests, r => !r.IsRegister); // not retried
    }

    [Theory]
    [InlineData(401, 401002, "chain bundle may lack its intermediates")]
    [InlineData(404, 404002, "check provisioning.idScope")]
    public async Task Refusals_are_final_and_explained(int status, int errorCode, string cause)
    {
        await using var dps = await ScriptedDps.StartAsync((_, _) => new DpsAction.Respond(status, $$"""{"errorCode":{{errorCode}},"trackingId":"t","message":"refused here"}"""));

        var e = await Assert.ThrowsAsync<ProvisioningException>(() => Register(dps));

        Assert.Equal((status, errorCode), (e.Status, e.ErrorCode));
        Assert.Contains("refused here", e.Message, StringComparison.Ordinal);
        Assert.Contains(cause, e.LikelyCause, StringComparison.Ordinal);
        Assert.Equal(1, dps.Connections);
    }

    [Fact]
    public async Task A_refused_connect_is_final_and_points_at_the_id_scope()
    {
        await using var dps = await ScriptedDps.StartAsync((_, _) => new DpsAction.Ignore(), MqttConnectReasonCode.NotAuthorized);

        var e = await Assert.ThrowsAsync<ProvisioningException>(() => Register(dps));

        Assert.Contains("DPS refused the MQTT connection", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, dps.Connections);
    }

    private static Task<DpsRegistrationResult> Register(ScriptedDps dps, DpsClientOptions? options = null) =>
        new DpsClient(dps.ConnectAsync, options ?? s_fast).RegisterAsync("0ne00000001", "device-1", null, CancellationToken.None);
}
