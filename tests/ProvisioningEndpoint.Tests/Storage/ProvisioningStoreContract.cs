using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Tests.Storage;

/// <summary>
/// The contract every <see cref="IProvisioningStore"/> keeps, run against each backend (SQLite,
/// PostgreSQL) on a fresh database per test. "Instances" are two stores opened on one database, as
/// two endpoint processes would: what one writes the other reads at once, and races between them
/// end the way a single store's would.
/// </summary>
public abstract class ProvisioningStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset s_time = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly List<IAsyncDisposable> _opened = [];

    /// <summary>The first instance's store.</summary>
    protected IProvisioningStore Store { get; private set; } = null!;

    /// <summary>A second instance's store on the same database.</summary>
    protected IProvisioningStore Other { get; private set; } = null!;

    /// <summary>Makes a fresh, empty database.</summary>
    protected abstract Task CreateDatabaseAsync();

    /// <summary>Opens a store (one instance) on the database.</summary>
    protected abstract Task<IProvisioningStore> OpenAsync();

    /// <summary>Removes the database.</summary>
    protected abstract Task DeleteDatabaseAsync();

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        Store = await TrackAsync(OpenAsync());
        Other = await TrackAsync(OpenAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var opened in _opened)
            await opened.DisposeAsync();
        await DeleteDatabaseAsync();
    }

    protected async Task<IProvisioningStore> TrackAsync(Task<IProvisioningStore> opening)
    {
        var store = await opening;
        if (store is IAsyncDisposable disposable)
            _opened.Add(disposable);
        return store;
    }

    [Fact]
    public async Task An_operator_session_made_through_one_instance_is_seen_by_the_other_and_a_new_password_ends_it()
    {
        var store = Assert.IsAssignableFrom<IOperatorStore>(Store);
        var other = Assert.IsAssignableFrom<IOperatorStore>(Other);
        Assert.True(await store.PutOperatorAsync(new OperatorAccount("ada", "$argon2id$first", s_time, s_time)));
        var tokenHash = System.Security.Cryptography.SHA256.HashData("token"u8);
        await store.AddSessionAsync(new OperatorSession(tokenHash, "ada", s_time, s_time.AddHours(8)));

        var seen = await other.GetSessionAsync(tokenHash);
        Assert.NotNull(seen);
        Assert.Equal("ada", seen.OperatorName);
        Assert.Equal(s_time.AddHours(8), seen.ExpiresUtc);
        Assert.Equal("$argon2id$first", (await other.GetOperatorAsync("ada"))?.PasswordHash);

        Assert.False(await other.PutOperatorAsync(new OperatorAccount("ada", "$argon2id$second", s_time, s_time.AddMinutes(1))));
        Assert.Null(await store.GetSessionAsync(tokenHash));
        Assert.Equal("$argon2id$second", (await store.GetOperatorAsync("ada"))?.PasswordHash);
        Assert.Null(await store.GetOperatorAsync("nobody"));
    }

    [Fact]
    public async Task Certificate_round_trips_and_a_stale_etag_is_a_conflict()
    {
        using var root = TestCa.CreateRoot("Contract Root");
        var entry = new CaCertificateEntry("root", root.Certificate.RawData, false, "CODE1", s_time.AddHours(1), Etags.New(), s_time, s_time);
        await Store.PutCertificateAsync(entry, null);

        var read = await Other.GetCertificateAsync("root");
        Assert.NotNull(read);
        Assert.Equal(entry.Certificate, read.Certificate);
        Assert.Equal((entry.IsVerified, entry.VerificationCode, entry.VerificationCodeExpiresUtc, entry.Etag, entry.CreatedUtc, entry.UpdatedUtc),
            (read.IsVerified, read.VerificationCode, read.VerificationCodeExpiresUtc, read.Etag, read.CreatedUtc, read.UpdatedUtc));
        await Assert.ThrowsAsync<StoreConflictException>(() => Other.PutCertificateAsync(entry with { Etag = Etags.New() }, Etags.New()));
        await Assert.ThrowsAsync<StoreConflictException>(() => Other.DeleteCertificateAsync("root", Etags.New()));
        Assert.True(await Other.DeleteCertificateAsync("root", entry.Etag));
        Assert.False(await Store.DeleteCertificateAsync("root", null));
        Assert.Empty(await Store.ListCertificatesAsync());
    }

    [Fact]
    public async Task A_verification_code_is_spent_once_when_two_instances_verify_at_once()
    {
        using var root = TestCa.CreateRoot("Contract Verify Root");
        var entry = new CaCertificateEntry("root", root.Certificate.RawData, false, "CODE1", s_time.AddHours(1), Etags.New(), s_time, s_time);
        await Store.PutCertificateAsync(entry, null);
        var verified = entry with { IsVerified = true, VerificationCode = null, VerificationCodeExpiresUtc = null };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Outcome((i % 2 == 0 ? Store : Other)
            .PutCertificateAsync(verified with { Etag = Etags.New() }, entry.Etag))));

        Assert.Equal(1, outcomes.Count(o => o));
        Assert.True((await Store.GetCertificateAsync("root"))!.IsVerified);
    }

    [Fact]
    public async Task Enrollment_group_change_on_one_instance_is_read_by_the_other_at_once()
    {
        using var root = TestCa.CreateRoot("Contract Group Root");
        var group = new EnrollmentGroup("line", root.Certificate.RawData, "root", ProvisioningStatus.Enabled, """{"tags":{"line":"1"}}""",
            AllocationSettings.Default, Etags.New(), s_time, s_time);
        await Store.PutEnrollmentGroupAsync(group, null);

        var found = await Other.FindEnrollmentGroupBySigningCertificateAsync(root.Certificate.Thumbprint.ToLowerInvariant());
        Assert.Equal((group.EnrollmentGroupId, group.CaReference, group.Status, group.InitialTwinJson, group.Etag),
            (found?.EnrollmentGroupId, found?.CaReference, found?.Status, found?.InitialTwinJson, found?.Etag));
        var disabled = group with { Status = ProvisioningStatus.Disabled, Etag = Etags.New(), UpdatedUtc = s_time.AddMinutes(1) };
        await Other.PutEnrollmentGroupAsync(disabled, group.Etag);

        var seen = await Store.GetEnrollmentGroupAsync("line");
        Assert.Equal((ProvisioningStatus.Disabled, disabled.Etag, disabled.UpdatedUtc), (seen?.Status, seen?.Etag, seen?.UpdatedUtc));
        Assert.Single(await Store.ListEnrollmentGroupsAsync());
        Assert.True(await Store.DeleteEnrollmentGroupAsync("line", disabled.Etag));
        Assert.Null(await Other.GetEnrollmentGroupAsync("line"));
    }

    [Fact]
    public async Task Two_groups_created_at_once_on_two_instances_cannot_share_a_signing_certificate()
    {
        using var root = TestCa.CreateRoot("Contract Shared Root");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Outcome((i % 2 == 0 ? Store : Other).PutEnrollmentGroupAsync(
            new EnrollmentGroup($"group{i}", root.Certificate.RawData, null, ProvisioningStatus.Enabled, null, AllocationSettings.Default, Etags.New(), s_time, s_time), null))));

        Assert.Equal(1, outcomes.Count(o => o));
        Assert.Single(await Store.ListEnrollmentGroupsAsync());
    }

    [Fact]
    public async Task Individual_enrollment_round_trips_with_its_endorsement_key()
    {
        using var root = TestCa.CreateRoot("Contract Individual Root");
        using var device = root.IssueDevice("device-1");
        var enrollment = new IndividualEnrollment("device-1", device.Leaf.RawData, "dev1", ProvisioningStatus.Enabled, null,
            AllocationSettings.Default, Etags.New(), s_time, s_time) { EndorsementKey = [1, 2, 3] };
        await Store.PutIndividualEnrollmentAsync(enrollment, null);

        var read = await Other.GetIndividualEnrollmentAsync("device-1");
        Assert.Equal((enrollment.DeviceId, enrollment.Thumbprint, enrollment.Etag), (read?.DeviceId, read?.Thumbprint, read?.Etag));
        Assert.Equal(enrollment.EndorsementKey, read?.EndorsementKey);
        Assert.Single(await Other.ListIndividualEnrollmentsAsync());
        await Assert.ThrowsAsync<StoreConflictException>(() => Other.DeleteIndividualEnrollmentAsync("device-1", Etags.New()));
        Assert.True(await Other.DeleteIndividualEnrollmentAsync("device-1", enrollment.Etag));
    }

    [Fact]
    public async Task Concurrent_assignments_of_one_device_on_two_instances_end_in_one_hub_device_and_one_record()
    {
        var attempts = Enumerable.Range(0, 12).Select(i => (Device: HubDeviceOf("device-7", $"THUMB{i}"), Record: Assigned("device-7", $"op-{i}"))).ToList();

        await Task.WhenAll(attempts.Select((a, i) => (i % 2 == 0 ? Store : Other).PutAssignmentAsync(a.Device, a.Record)));

        var devices = await Store.ListHubDevicesAsync("hub1");
        var records = await Other.ListRegistrationsAsync();
        Assert.Single(devices);
        Assert.Single(records);
        // The device and the record that survive are one attempt's, never a mix of two.
        var winner = attempts.Single(a => a.Record.OperationId == records[0].OperationId);
        Assert.Equal(winner.Device.PrimaryThumbprint, devices[0].PrimaryThumbprint);
        Assert.Equal("device-7", (await Store.GetRegistrationByOperationAsync(winner.Record.OperationId))?.RegistrationId);
    }

    [Fact]
    public async Task Registration_records_are_found_by_operation_and_by_group_and_keep_null_fields()
    {
        var failed = new RegistrationRecord("device-8", "op-8", "failed", null, null, null, 401, "no enrollment", EnrollmentKind.Group, null,
            null, null, Etags.New(), s_time, s_time);
        await Store.PutRegistrationAsync(failed);
        await Store.PutRegistrationAsync(Assigned("device-9", "op-9"));

        var read = await Other.GetRegistrationByOperationAsync("op-8");
        Assert.Equal(failed with { }, read! with { CreatedUtc = failed.CreatedUtc, UpdatedUtc = failed.UpdatedUtc });
        Assert.Equal(["device-9"], (await Other.ListRegistrationsByEnrollmentGroupAsync("line")).Select(r => r.RegistrationId));
        Assert.Equal(2, (await Other.ListRegistrationsAsync()).Count);
        await Assert.ThrowsAsync<StoreConflictException>(() => Other.DeleteRegistrationAsync("device-8", Etags.New()));
        Assert.True(await Other.DeleteRegistrationAsync("device-8", failed.Etag));
        Assert.Null(await Store.GetRegistrationAsync("device-8"));
    }

    [Fact]
    public async Task Telemetry_keeps_the_newest_per_device_and_goes_with_its_hub_device()
    {
        var device = HubDeviceOf("device-10", "THUMB");
        await Store.PutHubDeviceAsync(device, null);
        for (var i = 0; i < 5; i++)
            await (i % 2 == 0 ? Store : Other).AddTelemetryAsync(new TelemetryMessage("hub1", "device-10", s_time.AddSeconds(i), "{}", [(byte)i]), keepPerDevice: 3);

        Assert.Equal([2, 3, 4], (await Other.ListTelemetryAsync("hub1", "device-10", 10)).Select(t => (int)t.Body[0]));
        await Assert.ThrowsAsync<StoreConflictException>(() => Other.PutHubDeviceAsync(device with { Etag = Etags.New() }, Etags.New()));
        Assert.True(await Other.DeleteHubDeviceAsync("hub1", "device-10", device.Etag));
        Assert.Empty(await Store.ListTelemetryAsync("hub1", "device-10", 10));
        Assert.Null(await Store.GetHubDeviceAsync("hub1", "device-10"));
    }

    [Fact]
    public async Task Tpm_registrations_and_hub_device_keys_round_trip()
    {
        await Store.PutTpmRegistrationAsync(new TpmRegistration("tpm-1", [1], [2], "blob", s_time));
        await Other.PutTpmRegistrationAsync(new TpmRegistration("tpm-1", [1], [3], null, s_time.AddSeconds(1)));
        await Store.PutHubDeviceKeyAsync("hub1", "tpm-1", [9, 9]);

        var tpm = await Store.GetTpmRegistrationAsync("tpm-1");
        Assert.Equal([3], tpm!.RegistrationKey);
        Assert.Equal(((string?)null, s_time.AddSeconds(1)), (tpm.HubAuthenticationKey, tpm.UpdatedUtc));
        Assert.Equal([9, 9], await Other.GetHubDeviceKeyAsync("hub1", "tpm-1"));
        Assert.Null(await Other.GetHubDeviceKeyAsync("hub1", "nobody"));
    }

    private static HubDevice HubDeviceOf(string id, string thumbprint) =>
        new("hub1", id, HubDeviceStatus.Enabled, thumbprint, "{}", Etags.New(), s_time, s_time);

    private static RegistrationRecord Assigned(string id, string operation) =>
        new(id, operation, "assigned", "initialAssignment", "hub1", id, null, null, EnrollmentKind.Group, "line", null, "THUMB", Etags.New(), s_time, s_time);

    private static async Task<bool> Outcome(Task write)
    {
        try
        {
            await write;
            return true;
        }
        catch (StoreConflictException)
        {
            return false;
        }
    }
}
