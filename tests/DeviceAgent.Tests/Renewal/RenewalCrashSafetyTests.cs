using System.Diagnostics;
using System.Text.Json.Nodes;
using DeviceAgent.Renewal;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.Tests.Renewal;

/// <summary>
/// kill -9 at every step of a renewal (tests/DeviceAgent.CrashHarness runs the agent's renewal and
/// stops dead after the chosen step; this test sends SIGKILL there) never leaves the device without
/// a working identity: after each kill `deviceagent run` finishes or undoes the renewal, connects with
/// the old or the new identity and sends telemetry, and no renewal is left pending. The key is in
/// swtpm through our stack; the endpoint is a process with an issuer policy. The last kill comes right after
/// a retired key left the TPM (OldKeyDestroyed), before the state forgot it: the restarted daemon forgets it,
/// and a single key (the current one) stands in the TPM.
/// The daemon's own renewal (tests/DeviceAgent.CrashHarness daemon: the agent's runtime) is killed the same way
/// at every step, the retired key's destruction included.
/// </summary>
public sealed class RenewalCrashSafetyTests : IAsyncLifetime
{
    private const string RegistrationId = "crashing-device-1";
    private RenewalRig _rig = null!;

    public async Task InitializeAsync() => _rig = await RenewalRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Kill_9_at_every_step_of_a_renewal_leaves_the_device_a_working_identity()
    {
        var config = await _rig.CreateDeviceAsync(RegistrationId, "0x81000101", renewalDue: false);
        var statePath = Path.Combine(Path.GetDirectoryName(config)!, "state", "state.json");
        var provision = await AgentProcess.RunAsync(["provision", "--config", config]);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        var steps = new[]
        {
            RenewalStep.Started, RenewalStep.KeyGenerated, RenewalStep.CsrSigned, RenewalStep.Issued,
            RenewalStep.ChainStored, RenewalStep.Connected, RenewalStep.Committed,
        };
        var committed = 0;
        foreach (var step in steps)
        {
            await KillAtAsync(config, step);
            await _rig.RunUntilTelemetryAsync(config, RegistrationId, $"after kill -9 at {step}");
            var state = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
            Assert.Null(state["pendingRenewal"]);
            committed = state["credential"]?["generation"]?.GetValue<int>() ?? 1;
        }
        // ChainStored and Connected were finished at the restart, Committed was committed: 3 renewals stand.
        Assert.Equal(4, committed);

        // OldKeyDestroyed: one more commit (generation 5 at 0x81000301; generation 4's key at 0x81000201 retired for
        // 2 s), then kill -9 right after the retired key left the TPM, before the state forgot it.
        await KillAtAsync(config, RenewalStep.Committed);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await KillAtAsync(config, RenewalStep.OldKeyDestroyed);
        // The restarted daemon connects with generation 5 and forgets the already destroyed key at its first look.
        await _rig.RunUntilTelemetryAsync(config, RegistrationId, "after kill -9 at OldKeyDestroyed", state => state["retiredKey"] is null);
        var final = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        Assert.Equal(5, final["credential"]!["generation"]!.GetValue<int>());
        Assert.Null(final["pendingRenewal"]);
        // A single key stands (tpm2-tools, not our stack): generation 5's; the onboarding key and generation 4's are gone.
        Assert.True((await _rig.Tpm.RunToolAsync("tpm2_readpublic", "-c", "0x81000301")).ExitCode == 0, "the current key is not in the TPM");
        foreach (var gone in new[] { "0x81000101", "0x81000201" })
        {
            var read = await _rig.Tpm.RunToolAsync("tpm2_readpublic", "-c", gone);
            Assert.True(read.ExitCode != 0, $"{gone} is still in the TPM: {read.Transcript}");
        }
    }

    [Fact]
    public async Task Kill_9_at_every_step_of_the_daemons_renewal_including_the_old_keys_destruction_leaves_a_working_identity()
    {
        const string registrationId = "crashing-daemon-1";
        // A 1-hour leaf, 5 minutes in: the real `run` never renews it during the test, the harness (its clock past
        // the point) does, and the 1-day leaves issued are valid at the harness's time.
        var now = DateTimeOffset.UtcNow;
        var config = await _rig.CreateDeviceAsync(registrationId, "0x81000111", renewalDue: false, (now.AddMinutes(-5), now.AddMinutes(55)));
        var statePath = Path.Combine(Path.GetDirectoryName(config)!, "state", "state.json");
        var provision = await AgentProcess.RunAsync(["provision", "--config", config]);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        // The harness's daemon renews at once; after each kill the real `run` finishes or undoes the renewal and sends telemetry. A kill after Committed leaves a retired key, whose
        // destruction the next kill interrupts.
        var steps = new[]
        {
            RenewalStep.Started, RenewalStep.KeyGenerated, RenewalStep.CsrSigned, RenewalStep.Issued,
            RenewalStep.ChainStored, RenewalStep.Connected, RenewalStep.Committed, RenewalStep.OldKeyDestroyed,
        };
        foreach (var step in steps)
        {
            await KillAtAsync(config, step, "daemon");
            await _rig.RunUntilTelemetryAsync(config, registrationId, $"after kill -9 of the daemon at {step}", state => state["pendingRenewal"] is null);
        }
        var final = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        Assert.Null(final["pendingRenewal"]);
        var current = final["credential"]!["key"]!.GetValue<string>()["tpm:handle=".Length..];
        // A single key stands in the TPM: the current one (the retired one was destroyed, even if the state still names it).
        foreach (var handle in new[] { "0x81000111", "0x81000211", "0x81000311" })
        {
            var read = await _rig.Tpm.RunToolAsync("tpm2_readpublic", "-c", handle);
            Assert.True((read.ExitCode == 0) == string.Equals(handle, current, StringComparison.OrdinalIgnoreCase),
                $"{handle} (current {current}): {read.Transcript}");
        }
    }

    private static async Task KillAtAsync(string config, RenewalStep step, string mode = "renew")
    {
        using var harness = Process.Start(ExternalProcess.StartInfo("dotnet", [BuiltPrograms.CrashHarness, mode, config, step.ToString()]))!;
        var stderr = harness.StandardError.ReadToEndAsync();
        var seen = new List<string>();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (await harness.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                seen.Add(line);
                if (line == $"step:{step}")
                    break;
            }
        }
        var reached = seen.Contains($"step:{step}");
        Signals.Send(harness, Signals.SIGKILL);
        await harness.WaitForExitAsync();
        Assert.True(reached, $"the harness never reached {step}: {string.Join(", ", seen)}\n{await stderr}");
    }
}
