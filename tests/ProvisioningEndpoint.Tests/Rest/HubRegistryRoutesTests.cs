using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceAgent.Provisioning.Transport;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>
/// A hub's identity registry, through the REST port (<c>/hubs/{hub}</c>, provisioning token) and the
/// hub's registry port (<c>/devices</c>, hub token): list, create, update, delete, twin, telemetry;
/// disabling or deleting a connected device disconnects it.
/// </summary>
public sealed class HubRegistryRoutesTests() : RestTest(hubs: 2)
{
    private RestClient _registry = null!;

    private HubDefinition Hub1 => Endpoint.Configuration.Hubs[0];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _registry = RestClient.HubRegistry(Endpoint);
    }

    public override async Task DisposeAsync()
    {
        _registry.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_device_created_with_its_thumbprint_is_listed_on_both_addresses_and_can_connect()
    {
        var created = await _registry.PutAsync("/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint));
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        Assert.Equal("selfSigned", created.Json.GetProperty("authentication").GetProperty("type").GetString());

        Assert.Equal(["device-1"], (await Client.GetAsync("/hubs/hub1/devices")).Json.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));
        Assert.Equal(["device-1"], (await _registry.GetAsync("/devices/")).Json.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));
        Assert.Empty((await Client.GetAsync("/hubs/hub2/devices")).Json.EnumerateArray());
        await using var session = await Endpoint.ConnectAsync(Pki[1]);
        Assert.False(session.Completion.IsCompleted, "the accepted connection ended at once");
    }

    [Fact]
    public async Task Disabling_a_connected_device_disconnects_it_and_it_is_refused_until_enabled()
    {
        var etag = (await Client.PutAsync("/hubs/hub1/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint))).Json.GetProperty("etag").GetString()!;
        await using var session = await Endpoint.ConnectAsync(Pki[1]);

        var disabled = await Client.PutAsync("/hubs/hub1/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint, "disabled"), etag);

        Assert.True(disabled.Status == HttpStatusCode.OK, disabled.ToString());
        await session.AssertClosedByTheEndpointAsync();
        await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => Endpoint.ConnectAsync(Pki[1]));
        await Client.PutAsync("/hubs/hub1/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint, "enabled"), "*");
        await using var again = await Endpoint.ConnectAsync(Pki[1]);
    }

    [Fact]
    public async Task Deleting_a_connected_device_on_the_registry_port_disconnects_it()
    {
        await _registry.PutAsync("/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint));
        await using var session = await Endpoint.ConnectAsync(Pki[1]);

        Assert.Equal(HttpStatusCode.NoContent, (await _registry.DeleteAsync("/devices/device-1", "\"*\"")).Status);

        await session.AssertClosedByTheEndpointAsync();
        Assert.Null(await Endpoint.Store.GetHubDeviceAsync("hub1", "device-1"));
    }

    [Fact]
    public async Task Changing_the_thumbprint_disconnects_the_device_and_refuses_its_old_certificate()
    {
        await _registry.PutAsync("/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint));
        await using var session = await Endpoint.ConnectAsync(Pki[1]);

        await _registry.PutAsync("/devices/device-1", Device("device-1", Pki[2].Leaf.Thumbprint), "*");

        await session.AssertClosedByTheEndpointAsync();
        await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => Endpoint.ConnectAsync(Pki[1]));
    }

    [Fact]
    public async Task Telemetry_and_the_twin_are_readable()
    {
        await Endpoint.Registry.CreateAsync("hub1", "device-1", Pki[1].Leaf.Thumbprint,
            """{"tags": {"line": "7"}, "properties": {"desired": {"interval": 30}}}""", CancellationToken.None);
        await using (var session = await Endpoint.ConnectAsync(Pki[1]))
        {
            await session.PublishAsync("devices/device-1/messages/events/kind=temperature&unit=C", Encoding.UTF8.GetBytes("""{"t": 21.5}"""), CancellationToken.None);
            await session.PublishAsync("devices/device-1/messages/events/", new byte[] { 0xFF, 0x00 }, CancellationToken.None);
        }

        await StoredTelemetry.WaitForAsync(Endpoint.Store, "hub1", "device-1", 2);
        var telemetry = (await Client.GetAsync("/hubs/hub1/devices/device-1/messages/events?limit=10")).Json.EnumerateArray().ToList();
        Assert.Equal(2, telemetry.Count);
        Assert.Equal("temperature", telemetry[0].GetProperty("properties").GetProperty("kind").GetString());
        Assert.Equal("""{"t": 21.5}""", telemetry[0].GetProperty("text").GetString());
        Assert.Equal("/wA=", telemetry[1].GetProperty("body").GetString());
        Assert.False(telemetry[1].TryGetProperty("text", out _));
        var twinResponse = await _registry.GetAsync("/twins/device-1");
        Assert.True(twinResponse.Status == HttpStatusCode.OK, twinResponse.ToString());
        var twin = twinResponse.Json;
        Assert.True(twin.GetProperty("tags").TryGetProperty("line", out _), twinResponse.ToString());
        Assert.Equal("7", twin.GetProperty("tags").GetProperty("line").GetString());
        Assert.Equal(30, twin.GetProperty("properties").GetProperty("desired").GetProperty("interval").GetInt32());
        Assert.Equal(Pki[1].Leaf.Thumbprint, twin.GetProperty("x509Thumbprint").GetProperty("primaryThumbprint").GetString());
        await RestArrange.AssertErrorAsync(Client.GetAsync("/hubs/hub1/devices/device-1/messages/events?limit=0"), HttpStatusCode.BadRequest, "'limit' (query) must be 1..1000");
    }

    [Fact]
    public async Task Etags_and_existence_guard_writes_as_IoT_Hub_does()
    {
        var etag = (await _registry.PutAsync("/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint))).Json.GetProperty("etag").GetString()!;

        await RestArrange.AssertErrorAsync(_registry.PutAsync("/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint)), HttpStatusCode.Conflict, "exists in hub 'hub1'");
        await RestArrange.AssertErrorAsync(_registry.PutAsync("/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint, "disabled"), "\"stale\""), HttpStatusCode.PreconditionFailed, "changed");
        await RestArrange.AssertErrorAsync(_registry.DeleteAsync("/devices/device-1", "stale"), HttpStatusCode.PreconditionFailed, "changed");
        await RestArrange.AssertErrorAsync(_registry.PutAsync("/devices/device-9", Device("device-9", Pki[1].Leaf.Thumbprint), "\"some\""), HttpStatusCode.NotFound, "'device-9' is not in the registry");
        Assert.Equal(HttpStatusCode.OK, (await _registry.PutAsync("/devices/device-1", Device("device-1", Pki[1].Leaf.Thumbprint, "disabled"), etag)).Status);
        Assert.Equal(HubDeviceStatus.Disabled, (await Endpoint.Store.GetHubDeviceAsync("hub1", "device-1"))!.Status);
    }

    public static TheoryData<string, string> BadDevices() => new()
    {
        { """{"deviceId": "device-1"}""", "'authentication' is required to create a device" },
        { """{"deviceId": "device-1", "authentication": {"type": "sas", "symmetricKey": {"primaryKey": "", "secondaryKey": ""}}}""", "'authentication.type' is 'sas'; this hub authenticates devices by X.509 thumbprint only" },
        { """{"deviceId": "device-1", "authentication": {"type": "certificateAuthority"}}""", "'authentication.type' is 'certificateAuthority'" },
        { """{"deviceId": "device-1", "authentication": {"type": "selfSigned", "x509Thumbprint": {"primaryThumbprint": "XYZ"}}}""", "'authentication.x509Thumbprint.primaryThumbprint' is not a SHA-1 thumbprint" },
        { """{"deviceId": "device-1", "authentication": {"type": "selfSigned", "x509Thumbprint": {}}}""", "'authentication.x509Thumbprint.primaryThumbprint' is required" },
        { """{"deviceId": "device-1", "authentication": {"x509Thumbprint": {"primaryThumbprint": "%T%", "secondaryThumbprint": "%T%"}}}""", "'authentication.x509Thumbprint.secondaryThumbprint' is not supported" },
        { """{"deviceId": "device-1", "status": "paused", "authentication": {"x509Thumbprint": {"primaryThumbprint": "%T%"}}}""", "'status' is 'paused'" },
        { """{"deviceId": "device-2", "authentication": {"x509Thumbprint": {"primaryThumbprint": "%T%"}}}""", "'deviceId' is 'device-2', but the path names 'device-1'" },
    };

    [Theory]
    [MemberData(nameof(BadDevices))]
    public async Task An_invalid_device_is_refused_naming_the_field(string body, string message) =>
        await RestArrange.AssertErrorAsync(_registry.PutAsync("/devices/device-1", body.Replace("%T%", Pki[1].Leaf.Thumbprint, StringComparison.Ordinal)),
            HttpStatusCode.BadRequest, message);

    [Fact]
    public async Task An_invalid_device_id_is_refused()
    {
        await RestArrange.AssertErrorAsync(Client.PutAsync("/hubs/hub1/devices/a%20b", Device("a b", Pki[1].Leaf.Thumbprint)),
            HttpStatusCode.BadRequest, "is not a valid device id");
    }

    [Fact]
    public async Task Hubs_are_listed_with_how_to_reach_them()
    {
        var hubs = (await Client.GetAsync("/hubs")).Json.EnumerateArray().ToList();

        Assert.Equal(["hub1", "hub2"], hubs.Select(h => h.GetProperty("name").GetString()));
        Assert.Equal(Hub1.AssignedHub, hubs[0].GetProperty("assignedHub").GetString());
        Assert.Equal(Hub1.RegistryPort, hubs[0].GetProperty("registryPort").GetInt32());
    }

    private static string Device(string deviceId, string thumbprint, string status = "enabled") => new JsonObject
    {
        ["deviceId"] = deviceId,
        ["status"] = status,
        ["authentication"] = new JsonObject { ["type"] = "selfSigned", ["x509Thumbprint"] = new JsonObject { ["primaryThumbprint"] = thumbprint } },
    }.ToJsonString();
}
