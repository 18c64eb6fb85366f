using DeviceAgent.State;

namespace DeviceAgent.Tests.State;

/// <summary>
/// `deviceagent reset` (StateStore.Reset): without a renewal the state goes; with a renewed credential (the
/// onboarding key may be destroyed) only the assignment goes, the credential, a pending renewal and a retired key
/// stay, and the device counts as not provisioned.
/// </summary>
public sealed class StateStoreResetTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("state-reset.");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Reset_without_a_renewed_credential_deletes_the_state()
    {
        var store = new StateStore(_dir.FullName);
        store.Save(Assigned());

        Assert.True(store.Reset());

        Assert.Null(store.Load());
        Assert.False(store.Reset());
    }

    [Fact]
    public void Reset_keeps_a_renewed_credential_and_forgets_only_the_assignment()
    {
        var store = new StateStore(_dir.FullName);
        var credential = new RenewedCredential("tpm:handle=0x81000201", Path.Combine(_dir.FullName, "chain.r2.pem"), 2);
        var retired = new RetiredKey("tpm:handle=0x81000101", null, DateTimeOffset.UtcNow.AddHours(1));
        store.Save(Assigned() with { Credential = credential, RetiredKey = retired });

        Assert.True(store.Reset());

        var kept = store.Load()!;
        Assert.False(kept.IsAssigned);
        Assert.Equal(credential, kept.Credential);
        Assert.Equal(retired, kept.RetiredKey);
        Assert.Equal("", kept.DeviceId);
        Assert.Equal("", kept.CertificateThumbprint);
        Assert.Null(kept.ReturnedPayload);
        Assert.False(store.Reset()); // nothing more to forget
        Assert.Equal(credential, store.Load()!.Credential);
    }

    private static AgentState Assigned() => new()
    {
        IdScope = "0ne00000001",
        RegistrationId = "device-1",
        AssignedHub = "hub1.example",
        DeviceId = "device-1",
        RegisteredUtc = DateTimeOffset.UtcNow,
        CertificateThumbprint = new string('A', 40),
        ReturnedPayload = "{}",
    };
}
