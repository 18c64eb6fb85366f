using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Scenarios;

/// <summary>
/// The five-device example of the DPS documentation ("X.509 certificate attestation"), step by
/// step, on real registrations over MQTT/TLS with the agent's own DPS client.
/// </summary>
public sealed class FiveDeviceScenarioTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync();
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Group_on_root_then_disabled_group_on_B_then_disabled_individual_for_device_3()
    {
        // 1. A single enabled group on the root enables all five devices.
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        foreach (var device in _pki.Devices)
        {
            var assigned = await _endpoint.AssertAssignedAsync(device);
            Assert.Equal(device.RegistrationId, assigned.DeviceId);
            Assert.Equal($"localhost:{_endpoint.Configuration.Hubs[0].Port}", assigned.AssignedHub);
        }

        // 2. Certificate B is compromised: a disabled group on B stops devices 4 and 5.
        await _endpoint.Store.PutGroupAsync("group-b", _pki.B.Certificate, ProvisioningStatus.Disabled);
        await _endpoint.AssertRefusedAsync(_pki[4], "disabled");
        await _endpoint.AssertRefusedAsync(_pki[5], "disabled");
        for (var n = 1; n <= 3; n++)
            await _endpoint.AssertAssignedAsync(_pki[n]);

        // 3. Device 3 is compromised: a disabled individual enrollment for its certificate stops it; 1 and 2 still enroll.
        await _endpoint.Store.PutIndividualAsync("device-3", _pki[3].Leaf, ProvisioningStatus.Disabled);
        var refusal = await _endpoint.AssertRefusedAsync(_pki[3], "disabled");
        Assert.Contains("individual enrollment 'device-3' is disabled", refusal.Message, StringComparison.Ordinal);
        await _endpoint.AssertAssignedAsync(_pki[1]);
        await _endpoint.AssertAssignedAsync(_pki[2]);

        // The records say who decided, and the group's details list the devices it provisioned.
        var device4 = await _endpoint.Store.GetRegistrationAsync("device-4");
        Assert.Equal(("disabled", EnrollmentKind.Group, "group-b"), (device4!.Status, device4.EnrollmentKind, device4.EnrollmentId));
        var provisionedByRoot = await _endpoint.Store.ListRegistrationsByEnrollmentGroupAsync("root-group");
        Assert.Equal(["device-1", "device-2"], provisionedByRoot.Where(r => r.Status == "assigned").Select(r => r.RegistrationId));
    }
}
