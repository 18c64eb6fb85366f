using System.Text.Json;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// cert-renewal's DPS fallback against the endpoint (a process), the key in swtpm: the hub accepts the device's
/// connection but refuses issueCertificate (the registration record that names the enrollment's issuance policy
/// was deleted, so the hub has no policy to issue under), and the same CSR goes to DPS in a re-registration,
/// which issues: `renew --now` reports "dps", the new identity connects, and DPS's new record and the hub's
/// credentials show the new leaf. Then, the onboarding key destroyed: `reset` keeps the renewed credential and
/// the next start provisions with it; `reset --credential` is refused (it would leave no identity).
/// </summary>
public sealed class RenewalFallbackEndToEndTests : IAsyncLifetime
{
    private const string RegistrationId = "fallback-device-1";
    private RenewalRig _rig = null!;

    public async Task InitializeAsync() => _rig = await RenewalRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_hub_that_refuses_issuance_is_replaced_by_DPS_re_registration_with_the_same_request()
    {
        var config = await _rig.CreateDeviceAsync(RegistrationId, "0x81000101", renewalDue: false);
        var provision = await AgentProcess.RunAsync(["provision", "--config", config]);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        Assert.True(await _rig.Endpoint.Store.DeleteRegistrationAsync(RegistrationId, null));

        var renew = await AgentProcess.RunAsync(["renew", "--now", "--config", config, "--json"]);

        Assert.True(renew.ExitCode == 0, renew.Transcript + "\n--- endpoint\n" + _rig.Endpoint.Output);
        Assert.Contains("the hub did not issue the certificate", renew.StandardError, StringComparison.Ordinal);
        Assert.Contains("register with DPS instead", renew.StandardError, StringComparison.Ordinal); // the hub's reason
        using var outcome = JsonDocument.Parse(renew.StandardOutput);
        Assert.Equal("dps", outcome.RootElement.GetProperty("issuedOver").GetString());
        var renewed = outcome.RootElement.GetProperty("newThumbprint").GetString()!;
        var record = await _rig.Endpoint.Store.GetRegistrationAsync(RegistrationId);
        Assert.Equal(renewed, record!.CertificateThumbprint, ignoreCase: true);
        var hubDevice = await _rig.Endpoint.Store.GetHubDeviceAsync("hub1", RegistrationId);
        Assert.Equal(renewed, hubDevice!.PrimaryThumbprint, ignoreCase: true);
        // The onboarding key is destroyed after its grace period (2 s) by the daemon, which goes on with the renewed key.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await _rig.RunUntilTelemetryAsync(config, RegistrationId, "after the renewal over DPS", state => state["retiredKey"] is null);
        var onboarding = await _rig.Tpm.RunToolAsync("tpm2_readpublic", "-c", "0x81000101");
        Assert.True(onboarding.ExitCode != 0, $"the onboarding key is still in the TPM: {onboarding.Transcript}");

        // reset now keeps the renewed credential (the only identity left): the next start provisions with it.
        var reset = await AgentProcess.RunAsync(["reset", "--config", config]);
        Assert.True(reset.ExitCode == 0, reset.Transcript);
        Assert.Contains("keeping the renewed credential, generation 2", reset.StandardOutput, StringComparison.Ordinal);
        var output = await _rig.RunUntilTelemetryAsync(config, RegistrationId, "after reset");
        Assert.True(output.Contains("provisioning: the device has not been provisioned", StringComparison.Ordinal), output);

        // reset --credential would leave no identity (identity.key is gone): refused with what to do, nothing forgotten.
        var forget = await AgentProcess.RunAsync(["reset", "--credential", "--config", config]);
        Assert.True(forget.ExitCode == 3, forget.Transcript);
        Assert.Contains("forgetting it would leave the device without an identity", forget.StandardError, StringComparison.Ordinal);
        await _rig.RunUntilTelemetryAsync(config, RegistrationId, "after the refused reset --credential");
    }
}
