using System.Text.Json.Nodes;
using DeviceAgent.Configuration;
using DeviceAgent.Hardware;
using DeviceAgent.Provisioning;
using DeviceAgent.Runtime;
using DeviceAgent.Systemd;
using DeviceAgent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// cert-renewal and a wall clock that jumps, in the daemon (<see cref="AgentRuntime"/> in this process with a
/// <see cref="JumpingClock"/>; the key in swtpm, the endpoint a process). Telemetry is every 30 s, so only the
/// renewal's own timer (renewal.clockCheckInterval 1 s) can notice a jump between two messages. A jump forward
/// past the renewal point renews promptly, once; a jump back before it, and forward again, renews nothing more.
/// </summary>
public sealed class ClockJumpRenewalEndToEndTests : IAsyncLifetime
{
    private const string RegistrationId = "jumping-clock-device-1";
    private RenewalRig _rig = null!;

    public async Task InitializeAsync() => _rig = await RenewalRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_clock_jumping_forward_renews_once_between_telemetry_messages_and_jumping_back_repeats_nothing()
    {
        // A 1-hour onboarding leaf, 5 minutes in: its renewal point (70..90 %) is 37..49 minutes away.
        var now = DateTimeOffset.UtcNow;
        var config = await _rig.CreateDeviceAsync(RegistrationId, "0x81000101", renewalDue: false, (now.AddMinutes(-5), now.AddMinutes(55)), c =>
        {
            c["hub"]!["telemetryIntervalSeconds"] = 30;
            c["renewal"]!["clockCheckInterval"] = "00:00:01";
        });
        var statePath = Path.Combine(Path.GetDirectoryName(config)!, "state", "state.json");
        var configuration = AgentConfiguration.Load(config);
        var clock = new JumpingClock();
        using var notifier = new SystemdNotifier(new Dictionary<string, string?>());
        var runtime = new AgentRuntime(configuration, StatusHardware.None.Indicator, notifier, [], new RuntimeOptions(), clock, NullLogger<AgentRuntime>.Instance);
        var acknowledged = 0;
        runtime.TelemetryAcknowledged += _ => Interlocked.Increment(ref acknowledged);
        using var stop = new CancellationTokenSource();
        var running = runtime.RunAsync(Task.Run(() => AgentAttestation.Open(configuration, clock)), stop.Token);
        try
        {
            await Until(() => Volatile.Read(ref acknowledged) >= 1, TimeSpan.FromSeconds(45), "the first telemetry message", running);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Null(Generation(statePath)); // not due: no renewal

            // Forward 50 minutes: past the point, 5 minutes before the end. Renewed within seconds, long before the next message.
            clock.Offset = TimeSpan.FromMinutes(50);
            var jumped = DateTime.UtcNow;
            await Until(() => Generation(statePath) == 2, TimeSpan.FromSeconds(20), "the renewal after the jump forward", running);
            Assert.True(DateTime.UtcNow - jumped < TimeSpan.FromSeconds(20));
            Assert.Equal(1, Volatile.Read(ref acknowledged)); // the renewal did not wait for telemetry
            var renewed = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!["certificateThumbprint"]!.GetValue<string>();

            // Back 10 minutes before the start, then forward again to the same instant: the renewed leaf's point is a day
            // away in both, so neither repeats the renewal (the state names the renewed leaf).
            clock.Offset = TimeSpan.FromMinutes(-10);
            await Task.Delay(TimeSpan.FromSeconds(4));
            clock.Offset = TimeSpan.FromMinutes(50);
            await Task.Delay(TimeSpan.FromSeconds(4));
            var state = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
            Assert.Equal(2, state["credential"]!["generation"]!.GetValue<int>());
            Assert.Null(state["pendingRenewal"]);
            Assert.Equal(renewed, state["certificateThumbprint"]!.GetValue<string>());
            Assert.False(running.IsCompleted, "the daemon stopped");
            var hubDevice = await _rig.Endpoint.Store.GetHubDeviceAsync("hub1", RegistrationId);
            Assert.Equal(renewed, hubDevice!.PrimaryThumbprint, ignoreCase: true);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private static int? Generation(string statePath) =>
        File.Exists(statePath) ? JsonNode.Parse(File.ReadAllText(statePath))?["credential"]?["generation"]?.GetValue<int>() : null;

    private async Task Until(Func<bool> condition, TimeSpan limit, string what, Task running)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (running.IsCompleted)
                await running; // surfaces why the daemon ended
            Assert.True(DateTime.UtcNow < deadline, $"no {what} within {limit.TotalSeconds:0} s\n--- endpoint\n{_rig.Endpoint.Output}");
            await Task.Delay(100);
        }
    }
}
