using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Scenarios;

/// <summary>
/// Every unprovisioning path of DESIGN.md, asserted on real registrations, including the
/// re-enroll-after-delete cases: deleting an entry while an enabled entry higher up the chain
/// exists lets the device enroll again.
/// </summary>
public sealed class UnprovisioningTests : IAsyncLifetime
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
    public async Task Disabling_an_individual_enrollment_refuses_its_device_and_deleting_it_without_a_group_keeps_it_refused()
    {
        await _endpoint.Store.PutIndividualAsync("device-1", _pki[1].Leaf);
        await _endpoint.AssertAssignedAsync(_pki[1]);

        await _endpoint.Store.PutIndividualAsync("device-1", _pki[1].Leaf, ProvisioningStatus.Disabled);
        await _endpoint.AssertRefusedAsync(_pki[1], "disabled");

        await _endpoint.Store.DeleteIndividualEnrollmentAsync("device-1", null);
        var refusal = await _endpoint.AssertRefusedAsync(_pki[1], status: 401);
        Assert.Contains("no enrollment found", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_disabled_individual_enrollment_lets_the_device_re_enroll_through_its_group()
    {
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        await _endpoint.Store.PutIndividualAsync("device-3", _pki[3].Leaf, ProvisioningStatus.Disabled);
        await _endpoint.AssertRefusedAsync(_pki[3], "disabled");

        await _endpoint.Store.DeleteIndividualEnrollmentAsync("device-3", null);

        await _endpoint.AssertAssignedAsync(_pki[3]);
        Assert.Equal(EnrollmentKind.Group, (await _endpoint.Store.GetRegistrationAsync("device-3"))!.EnrollmentKind);
    }

    [Fact]
    public async Task Disabling_a_group_blocks_its_whole_signing_certificate_and_deleting_it_hands_devices_to_the_group_above()
    {
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        await _endpoint.Store.PutGroupAsync("group-a", _pki.A.Certificate);
        Assert.Equal("group-a", (await RegisteredThrough(1)));

        await _endpoint.Store.PutGroupAsync("group-a", _pki.A.Certificate, ProvisioningStatus.Disabled);
        for (var n = 1; n <= 3; n++)
            await _endpoint.AssertRefusedAsync(_pki[n], "disabled");
        await _endpoint.AssertAssignedAsync(_pki[4]); // B's devices go through the root group

        await _endpoint.Store.DeleteEnrollmentGroupAsync("group-a", null);
        Assert.Equal("root-group", await RegisteredThrough(1)); // re-enrolls through the enabled group above
    }

    [Fact]
    public async Task Disabling_the_root_group_refuses_everyone_it_decides_for()
    {
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate, ProvisioningStatus.Disabled);
        foreach (var device in _pki.Devices)
            await _endpoint.AssertRefusedAsync(device, "disabled");
    }

    [Fact]
    public async Task An_enabled_individual_enrollment_wins_over_a_disabled_group()
    {
        await _endpoint.Store.PutGroupAsync("group-b", _pki.B.Certificate, ProvisioningStatus.Disabled);
        await _endpoint.Store.PutIndividualAsync("device-5", _pki[5].Leaf);

        await _endpoint.AssertAssignedAsync(_pki[5]);
        await _endpoint.AssertRefusedAsync(_pki[4], "disabled");
    }

    [Fact]
    public async Task Deleting_the_device_in_its_hub_lets_it_re_register_and_be_created_again()
    {
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        var first = await _endpoint.AssertAssignedAsync(_pki[2]);
        Assert.True(await _endpoint.Registry.DeleteAsync("hub1", first.DeviceId, null, CancellationToken.None));

        await _endpoint.AssertAssignedAsync(_pki[2]);

        var device = await _endpoint.Store.GetHubDeviceAsync("hub1", "device-2");
        Assert.NotNull(device);
        Assert.Equal(HubDeviceStatus.Enabled, device.Status);
        Assert.Equal(_pki[2].Leaf.Thumbprint, device.PrimaryThumbprint);
    }

    [Fact]
    public async Task Disabling_the_device_in_its_hub_survives_re_registration()
    {
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        await _endpoint.AssertAssignedAsync(_pki[2]);
        await _endpoint.Registry.SetStatusAsync("hub1", "device-2", HubDeviceStatus.Disabled, null, CancellationToken.None);

        await _endpoint.AssertAssignedAsync(_pki[2]); // DPS still assigns ...

        Assert.Equal(HubDeviceStatus.Disabled, (await _endpoint.Store.GetHubDeviceAsync("hub1", "device-2"))!.Status); // ... but the hub keeps it disabled
    }

    [Fact]
    public async Task Re_registering_an_assigned_device_is_idempotent()
    {
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        var first = await _endpoint.AssertAssignedAsync(_pki[1]);
        var second = await _endpoint.AssertAssignedAsync(_pki[1]);

        Assert.Equal((first.AssignedHub, first.DeviceId, "initialAssignment"), (second.AssignedHub, second.DeviceId, second.Substatus));
        Assert.Equal(first.CreatedUtc, second.CreatedUtc);
        Assert.Single(await _endpoint.Store.ListHubDevicesAsync("hub1"));
    }

    private async Task<string?> RegisteredThrough(int n)
    {
        await _endpoint.AssertAssignedAsync(_pki[n]);
        return (await _endpoint.Store.GetRegistrationAsync(_pki[n].RegistrationId))!.EnrollmentId;
    }
}
