using System.Text;
using System.Text.Json;
using DeviceAgent.Provisioning.Transport;
using MQTTnet;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Scenarios;

/// <summary>
/// The hub a device is assigned to: X.509 thumbprint authentication bound to the leaf that
/// registered, telemetry kept per device, twin GET/PATCH, and revocation.
/// </summary>
public sealed class HubEndpointTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync();
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate,
            initialTwin: """{"tags":{"line":"A"},"properties":{"desired":{"telemetryIntervalSeconds":30}}}""");
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Provisioned_device_connects_and_its_telemetry_is_kept()
    {
        await _endpoint.AssertAssignedAsync(_pki[1]);
        await using (var session = await _endpoint.ConnectAsync(_pki[1]))
        {
            for (var i = 0; i < 3; i++)
                await session.PublishAsync($"devices/device-1/messages/events/seq={i}&%24.ct=application%2Fjson", Encoding.UTF8.GetBytes($$"""{"n":{{i}}}"""), CancellationToken.None);
        }

        var telemetry = await StoredTelemetry.WaitForAsync(_endpoint.Store, "hub1", "device-1", 3);
        Assert.Equal(["""{"n":0}""", """{"n":1}""", """{"n":2}"""], telemetry.Select(t => Encoding.UTF8.GetString(t.Body)));
        Assert.Equal("seq=2&%24.ct=application%2Fjson", telemetry[^1].Properties);
    }

    [Fact]
    public async Task Twin_starts_from_the_enrollment_and_takes_reported_patches()
    {
        await _endpoint.AssertAssignedAsync(_pki[2]);
        var responses = System.Threading.Channels.Channel.CreateUnbounded<MqttResponse>();
        await using var session = await _endpoint.ConnectAsync(_pki[2]);
        await session.SubscribeAsync("$iothub/twin/res/#", (topic, payload) => { responses.Writer.TryWrite(new MqttResponse(topic, payload)); return ValueTask.CompletedTask; }, CancellationToken.None);

        await session.PublishAsync("$iothub/twin/PATCH/properties/reported/?$rid=1", """{"firmware":"1.2.3"}"""u8.ToArray(), CancellationToken.None);
        var patched = await responses.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await session.PublishAsync("$iothub/twin/GET/?$rid=2", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var twin = await responses.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("$iothub/twin/res/204/?$rid=1&$version=2", patched.Topic, StringComparison.Ordinal);
        Assert.StartsWith("$iothub/twin/res/200/?$rid=2", twin.Topic, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(twin.Payload);
        Assert.Equal(30, document.RootElement.GetProperty("desired").GetProperty("telemetryIntervalSeconds").GetInt32());
        Assert.Equal("1.2.3", document.RootElement.GetProperty("reported").GetProperty("firmware").GetString());
    }

    [Fact]
    public async Task A_device_disabled_while_connected_is_disconnected_and_then_refused()
    {
        await _endpoint.AssertAssignedAsync(_pki[3]);
        var session = await _endpoint.ConnectAsync(_pki[3]);

        await _endpoint.Registry.SetStatusAsync("hub1", "device-3", HubDeviceStatus.Disabled, null, CancellationToken.None);

        await session.AssertClosedByTheEndpointAsync();
        await session.DisposeAsync();
        var refused = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => _endpoint.ConnectAsync(_pki[3]));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);
    }

    [Fact]
    public async Task A_device_with_a_new_leaf_is_refused_until_it_provisions_again()
    {
        await _endpoint.AssertAssignedAsync(_pki[4]);
        using var renewed = _pki.B.IssueDevice("device-4");

        var refused = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => _endpoint.ConnectAsync(renewed));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);

        await _endpoint.AssertAssignedAsync(renewed);
        await using var session = await _endpoint.ConnectAsync(renewed);
        Assert.False(session.Completion.IsCompleted, "the accepted connection ended at once");
    }

    [Fact]
    public async Task A_device_cannot_connect_as_another_device()
    {
        await _endpoint.AssertAssignedAsync(_pki[1]);
        await _endpoint.AssertAssignedAsync(_pki[5]);

        var refused = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => _endpoint.ConnectAsync(_pki[5], deviceId: "device-1"));

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);
    }

    [Fact]
    public async Task An_unregistered_device_is_refused()
    {
        var refused = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => _endpoint.ConnectAsync(_pki[2]));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);
    }
}
