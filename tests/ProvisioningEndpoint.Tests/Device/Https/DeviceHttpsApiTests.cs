using System.Net;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Device.Https;

/// <summary>DPS's HTTPS device API: X.509 devices register and poll over HTTPS as over MQTT, with DPS's status codes and bodies.</summary>
public sealed class DeviceHttpsApiTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync();
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task An_X509_device_registers_over_HTTPS_and_polls_its_assignment()
    {
        using var client = new DeviceHttpsClient(_endpoint, _pki[1]);

        var accepted = await client.RegisterAsync("device-1", """{"registrationId":"device-1","payload":{"model":"pi"}}""");

        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        Assert.Equal("assigning", accepted.Json.GetProperty("status").GetString());
        Assert.Equal("0", accepted.Headers.GetValues("Retry-After").Single());
        var operationId = accepted.Json.GetProperty("operationId").GetString()!;

        var status = await client.PollAsync("device-1", operationId);

        Assert.True(status.Status == HttpStatusCode.OK, status.ToString());
        Assert.Equal("assigned", status.Json.GetProperty("status").GetString());
        var state = status.Json.GetProperty("registrationState");
        Assert.Equal("device-1", state.GetProperty("deviceId").GetString());
        Assert.Equal($"localhost:{_endpoint.Configuration.Hubs[0].Port}", state.GetProperty("assignedHub").GetString());
        Assert.Equal(_pki[1].Leaf.Thumbprint, (await _endpoint.Store.GetHubDeviceAsync("hub1", "device-1"))!.PrimaryThumbprint);
    }

    [Fact]
    public async Task A_register_body_over_the_listener_maximum_is_refused_413_and_nothing_is_stored()
    {
        using var client = new DeviceHttpsClient(_endpoint, _pki[1]);
        var padding = new string('a', (int)new ProvisioningEndpoint.Hosting.ListenerLimits().MaximumBodySize);

        var refused = await client.RegisterAsync("device-1", "{\"registrationId\":\"device-1\",\"payload\":{\"pad\":\"" + padding + "\"}}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.Status);
        Assert.Null(await _endpoint.Store.GetRegistrationAsync("device-1"));
    }

    [Fact]
    public async Task A_device_without_certificate_or_TPM_attestation_gets_401()
    {
        using var client = new DeviceHttpsClient(_endpoint);

        var refused = await client.RegisterAsync("device-2", """{"registrationId":"device-2"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(401002, refused.ErrorCode);
        Assert.Contains("no client certificate", refused.Message, StringComparison.Ordinal);
        Assert.Null(await _endpoint.Store.GetRegistrationAsync("device-2"));
    }

    [Fact]
    public async Task The_chain_is_judged_as_on_MQTT_a_device_in_a_disabled_group_is_disabled()
    {
        await _endpoint.Store.PutIndividualAsync("device-3", _pki[3].Leaf, ProvisioningStatus.Disabled);
        using var client = new DeviceHttpsClient(_endpoint, _pki[3]);

        var accepted = await client.RegisterAsync("device-3", """{"registrationId":"device-3"}""");
        var status = await client.PollAsync("device-3", accepted.Json.GetProperty("operationId").GetString()!);

        Assert.Equal("disabled", status.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_devices_certificate_cannot_poll_an_operation_and_unknown_operations_are_404()
    {
        using var owner = new DeviceHttpsClient(_endpoint, _pki[4]);
        using var other = new DeviceHttpsClient(_endpoint, _pki[5]);
        var accepted = await owner.RegisterAsync("device-4", """{"registrationId":"device-4"}""");
        var operationId = accepted.Json.GetProperty("operationId").GetString()!;

        var stolen = await other.PollAsync("device-4", operationId);
        var unknown = await owner.PollAsync("device-4", "5.0000.none");

        Assert.Equal(HttpStatusCode.Unauthorized, stolen.Status);
        Assert.Contains("not the one that registered", stolen.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(404002, unknown.ErrorCode);
    }

    [Theory]
    [InlineData("wrong scope", "0ne00000000", "2019-03-31", HttpStatusCode.Unauthorized, "unknown ID scope")]
    [InlineData("no api-version", null, null, HttpStatusCode.BadRequest, "api-version")]
    public async Task Requests_outside_DPS_form_are_refused(string description, string? idScope, string? apiVersion, HttpStatusCode expected, string message)
    {
        using var client = new DeviceHttpsClient(_endpoint, _pki[2]);
        if (idScope is not null)
            client.IdScope = idScope;

        var refused = await client.RegisterAsync("device-2", """{"registrationId":"device-2"}""", apiVersion: apiVersion);

        Assert.True(refused.Status == expected, $"{description}: {refused}");
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_400()
    {
        using var client = new DeviceHttpsClient(_endpoint, _pki[2]);

        var refused = await client.RegisterAsync("device-2", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(400004, refused.ErrorCode);
    }
}
