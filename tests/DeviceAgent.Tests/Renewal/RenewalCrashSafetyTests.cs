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
/// swtpm through our stack; the endpoint is a process with an issuer policy.
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
    }

    private static async Task KillAtAsync(string config, RenewalStep step)
    {
        using var harness = Process.Start(ExternalProcess.StartInfo("dotnet", [BuiltPrograms.CrashHarness, "renew", config, step.ToString()]))!;
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
