using System.Net;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>
/// The whole operator flow through the REST API with the agent's own DPS client as the device:
/// upload the CA, prove possession, create a group, the device registers, the group's devices
/// query lists it with its hub; registration states can be read and deleted.
/// </summary>
public sealed class RegistrationFlowTests() : RestTest(hubs: 2)
{
    [Fact]
    public async Task Upload_prove_group_register_then_the_group_lists_the_device_and_its_hub()
    {
        await Client.ProveAsync("root", Pki.Root);
        await Client.CreateGroupAsync("factory", Pki.A.Certificate);

        var assignment = await Endpoint.AssertAssignedAsync(Pki[1]);
        await Endpoint.AssertAssignedAsync(Pki[2]);

        var devices = (await Client.PostAsync("/registrations/factory/query", RestBodies.QueryAll)).Json.EnumerateArray().ToList();
        Assert.Equal(["device-1", "device-2"], devices.Select(d => d.GetProperty("registrationId").GetString()));
        Assert.All(devices, d => Assert.Equal("assigned", d.GetProperty("status").GetString()));
        Assert.Equal(assignment.AssignedHub, devices[0].GetProperty("assignedHub").GetString());
        Assert.Equal("device-1", devices[0].GetProperty("deviceId").GetString());
        Assert.Contains(Endpoint.Configuration.Hubs, h => h.AssignedHub == devices[1].GetProperty("assignedHub").GetString());
    }

    [Fact]
    public async Task A_device_of_the_group_can_be_blocked_with_a_disabled_individual_enrollment_made_through_the_API()
    {
        await Client.ProveAsync("root", Pki.Root);
        await Client.CreateGroupAsync("root-group", Pki.Root.Certificate);
        await Endpoint.AssertAssignedAsync(Pki[3]);

        var created = await Client.PutAsync("/enrollments/device-3", RestBodies.Individual("device-3", Pki[3].Leaf, "disabled"));
        Assert.Equal(HttpStatusCode.OK, created.Status);

        await Endpoint.AssertRefusedAsync(Pki[3], "disabled");
        await Endpoint.AssertAssignedAsync(Pki[1]);
        var state = (await Client.GetAsync("/enrollments/device-3")).Json.GetProperty("registrationState");
        Assert.Equal("disabled", state.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Registration_states_show_refusals_and_can_be_deleted()
    {
        await Client.ProveAsync("root", Pki.Root);
        await Client.CreateGroupAsync("group-b", Pki.B.Certificate, "disabled");
        await Endpoint.AssertRefusedAsync(Pki[4], "disabled");

        var state = await Client.GetAsync("/registrations/device-4");
        Assert.Equal("disabled", state.Json.GetProperty("status").GetString());
        Assert.Equal(401002, state.Json.GetProperty("errorCode").GetInt32());
        Assert.Contains("'group-b'", state.Json.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        var listed = (await Client.PostAsync("/registrations/group-b/query", RestBodies.QueryAll)).Json.EnumerateArray().Single();
        Assert.Equal("device-4", listed.GetProperty("registrationId").GetString());

        var etag = state.Json.GetProperty("etag").GetString()!;
        await RestArrange.AssertErrorAsync(Client.DeleteAsync("/registrations/device-4", "\"stale\""), HttpStatusCode.PreconditionFailed, "changed");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/registrations/device-4", etag)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/registrations/device-4")).Status);
    }

    [Fact]
    public async Task Disabling_a_group_through_the_API_refuses_its_devices_and_a_device_in_a_hub_can_be_disabled_there()
    {
        await Client.ProveAsync("root", Pki.Root);
        var etag = await Client.CreateGroupAsync("group-a", Pki.A.Certificate);
        var assigned = await Endpoint.AssertAssignedAsync(Pki[1]);

        var disabled = await Client.PutAsync("/enrollmentGroups/group-a", RestBodies.Group("group-a", Pki.A.Certificate, "disabled"), etag);
        Assert.Equal(HttpStatusCode.OK, disabled.Status);
        await Endpoint.AssertRefusedAsync(Pki[2], "disabled");

        var hub = Endpoint.Configuration.Hubs.Single(h => h.AssignedHub == assigned.AssignedHub);
        var device = await Client.PutAsync($"/hubs/{hub.Name}/devices/device-1",
            """{"deviceId": "device-1", "status": "disabled", "authentication": {"x509Thumbprint": {"primaryThumbprint": "%T%"}}}""".Replace("%T%", Pki[1].Leaf.Thumbprint, StringComparison.Ordinal), "*");
        Assert.True(device.Status == HttpStatusCode.OK, device.ToString());
        Assert.Equal(Model.HubDeviceStatus.Disabled, (await Endpoint.Store.GetHubDeviceAsync(hub.Name, "device-1"))!.Status);
    }
}
