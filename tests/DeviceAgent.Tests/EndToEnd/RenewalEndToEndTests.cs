using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// cert-renewal end to end, the key in swtpm through our stack: the onboarding leaf is valid for a few
/// more minutes and past its renewal point, the enrollment group names an issuer of the endpoint (a
/// process). `run` renews by itself over the hub while telemetry keeps flowing with no gap longer than
/// one interval plus slack; the endpoint's record shows the new thumbprint; the old key is gone from
/// the TPM after the grace period (tpm2_readpublic, the independent client). Then `renew --now` renews
/// once more, and `status --json` shows the expiry and the next renewal.
/// </summary>
public sealed class RenewalEndToEndTests : IAsyncLifetime
{
    private const string OnboardingHandle = "0x81000101";
    private RenewalRig _rig = null!;

    public async Task InitializeAsync() => _rig = await RenewalRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Run_renews_a_leaf_about_to_expire_with_a_new_TPM_key_without_a_telemetry_gap_and_destroys_the_old_key()
    {
        const string registrationId = "renewing-device-1";
        var config = await _rig.CreateDeviceAsync(registrationId, OnboardingHandle, renewalDue: true);
        var device = Path.GetDirectoryName(config)!;
        var onboardingThumbprint = RenewalRig.LeafThumbprint(Path.Combine(device, "onboarding.pem"));

        string agentOutput;
        await using (var daemon = AgentDaemon.Start(config, new Dictionary<string, string>()))
        {
            var statePath = Path.Combine(device, "state", "state.json");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            // Renewed, committed, the old key destroyed (grace period 2 s), and telemetry after it.
            while (true)
            {
                Assert.False(daemon.Process.HasExited, $"the agent exited:\n{daemon.Output}\n--- endpoint\n{_rig.Endpoint.Output}");
                Assert.True(DateTime.UtcNow < deadline, $"no renewal within 60 s:\n{daemon.Output}\n--- endpoint\n{_rig.Endpoint.Output}");
                var state = File.Exists(statePath) ? JsonNode.Parse(await File.ReadAllTextAsync(statePath)) : null;
                if (state?["credential"] is not null && state["retiredKey"] is null && state["pendingRenewal"] is null
                    && (await _rig.Endpoint.Store.ListTelemetryAsync("hub1", registrationId, 200)).Count >= 8)
                {
                    break;
                }
                await Task.Delay(250);
            }
            var (exitCode, _) = await daemon.StopAsync();
            Assert.True(exitCode == 0, $"exit {exitCode}:\n{daemon.Output}");
            agentOutput = daemon.Output;
            Assert.Contains("renewed: certificate", agentOutput, StringComparison.Ordinal);
        }

        var renewedChain = Path.Combine(device, "state", "chain.r2.pem");
        var renewedThumbprint = RenewalRig.LeafThumbprint(renewedChain);
        Assert.NotEqual(onboardingThumbprint, renewedThumbprint);
        var record = await _rig.Endpoint.Store.GetRegistrationAsync(registrationId);
        Assert.Equal(renewedThumbprint, record!.CertificateThumbprint, ignoreCase: true);
        var hubDevice = await _rig.Endpoint.Store.GetHubDeviceAsync("hub1", registrationId);
        Assert.Equal(renewedThumbprint, hubDevice!.PrimaryThumbprint, ignoreCase: true);
        Assert.Null(hubDevice.SecondaryThumbprint); // retired at the hub: the device connected with the new leaf

        // Telemetry never paused longer than one interval (1 s) plus slack across the switch.
        var telemetry = (await _rig.Endpoint.Store.ListTelemetryAsync("hub1", registrationId, 200)).Select(t => t.ReceivedUtc).Order().ToList();
        var longest = telemetry.Zip(telemetry.Skip(1), (a, b) => b - a).Max();
        Assert.True(longest < TimeSpan.FromSeconds(2.5), $"a telemetry gap of {longest.TotalSeconds:0.00} s: " +
            string.Join(", ", telemetry.Select(t => t.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture))) + $"\n{agentOutput}\n--- endpoint\n{_rig.Endpoint.Output}");

        // The old key is gone from the TPM, the new one is there (tpm2-tools, not our stack).
        var old = await _rig.Tpm.RunToolAsync("tpm2_readpublic", "-c", OnboardingHandle);
        Assert.True(old.ExitCode != 0, $"the onboarding key is still in the TPM: {old.Transcript}");
        var renewed = await _rig.Tpm.RunToolAsync("tpm2_readpublic", "-c", "0x81000201");
        Assert.True(renewed.ExitCode == 0, renewed.Transcript);

        // renew --now: once more over the hub, to the other renewal handle.
        var now = await AgentProcess.RunAsync(["renew", "--now", "--config", config, "--json"]);
        Assert.True(now.ExitCode == 0, now.Transcript + "\n--- endpoint\n" + _rig.Endpoint.Output);
        using (var outcome = JsonDocument.Parse(now.StandardOutput))
        {
            Assert.Equal("hub", outcome.RootElement.GetProperty("issuedOver").GetString());
            Assert.Equal(renewedThumbprint, outcome.RootElement.GetProperty("oldThumbprint").GetString(), ignoreCase: true);
            Assert.Equal("tpm:handle=0x81000301", outcome.RootElement.GetProperty("key").GetString());
        }

        var status = await AgentProcess.RunAsync(["status", "--config", config, "--json"]);
        Assert.True(status.ExitCode == 0, status.Transcript);
        using (var report = JsonDocument.Parse(status.StandardOutput))
        {
            var renewal = report.RootElement.GetProperty("renewal");
            Assert.Equal(3, renewal.GetProperty("generation").GetInt32());
            Assert.Equal("notYet", renewal.GetProperty("due").GetString());
            var notAfter = renewal.GetProperty("notAfter").GetDateTimeOffset();
            var next = renewal.GetProperty("nextRenewal").GetDateTimeOffset();
            Assert.InRange(notAfter, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
            Assert.InRange(next, DateTimeOffset.UtcNow.AddHours(16), DateTimeOffset.UtcNow.AddHours(22));
        }
    }
}
