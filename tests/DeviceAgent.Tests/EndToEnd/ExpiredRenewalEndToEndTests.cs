using System.Text.Json.Nodes;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// A renewed leaf that expired while the device was off (the state names a renewed credential whose
/// leaf, from the line CA, ended a minute ago; its key is in the TPM): without renewal.keepOnboardingCredential `run` stops with exit 3 and says what to do; with it the
/// agent re-registers with the onboarding credential (identity.key, identity.chain), gets a fresh
/// leaf for a new TPM key from DPS (csr in the registration) and sends telemetry.
/// </summary>
public sealed class ExpiredRenewalEndToEndTests : IAsyncLifetime
{
    private const string RegistrationId = "expired-device-1";
    private RenewalRig _rig = null!;

    public async Task InitializeAsync() => _rig = await RenewalRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task An_expired_renewed_leaf_stops_the_agent_or_re_registers_with_the_onboarding_credential()
    {
        var stopping = await _rig.CreateDeviceAsync(RegistrationId, "0x81000101", renewalDue: false);
        var keeping = Path.Combine(Path.GetDirectoryName(stopping)!, "keeping.json");
        var configuration = JsonNode.Parse(await File.ReadAllTextAsync(stopping))!;
        configuration["renewal"]!["keepOnboardingCredential"] = true;
        await File.WriteAllTextAsync(keeping, configuration.ToJsonString());
        var provision = await AgentProcess.RunAsync(["provision", "--config", keeping]);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        var statePath = Path.Combine(Path.GetDirectoryName(stopping)!, "state", "state.json");
        var expiredChain = Path.Combine(Path.GetDirectoryName(stopping)!, "state", "chain.r2.pem");
        await _rig.CreateKeyAndChainAsync(RegistrationId, "0x81000201", DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddMinutes(-1), expiredChain);
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        saved["credential"] = new JsonObject { ["key"] = "tpm:handle=0x81000201", ["chain"] = expiredChain, ["generation"] = 2 };
        saved["certificateThumbprint"] = RenewalRig.LeafThumbprint(expiredChain);
        await File.WriteAllTextAsync(statePath, saved.ToJsonString());

        var stopped = await AgentProcess.RunAsync(["run", "--config", stopping]);

        Assert.Equal(3, stopped.ExitCode);
        Assert.Contains("the renewed credential (generation 2, tpm:handle=0x81000201", stopped.Transcript, StringComparison.Ordinal);
        Assert.Contains("renewal.keepOnboardingCredential is false", stopped.Transcript, StringComparison.Ordinal);

        var output = await _rig.RunUntilTelemetryAsync(keeping, RegistrationId, "with the onboarding credential kept");
        Assert.Contains("re-registering with the onboarding certificate", output, StringComparison.Ordinal);
        var state = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        Assert.True(state["credential"]!["generation"]!.GetValue<int>() >= 3, state.ToJsonString());
    }
}
