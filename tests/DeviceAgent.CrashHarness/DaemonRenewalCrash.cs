using DeviceAgent.Configuration;
using DeviceAgent.Hardware;
using DeviceAgent.Identity;
using DeviceAgent.Provisioning;
using DeviceAgent.Renewal;
using DeviceAgent.Runtime;
using DeviceAgent.State;
using DeviceAgent.Systemd;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceAgent.CrashHarness;

/// <summary>
/// The daemon's renewal (<see cref="AgentRuntime"/>, as <c>deviceagent run</c> runs it) with its wall clock set
/// just past the current leaf's renewal point, and past the retired key's grace period when there is one, so
/// that it renews (and retires) at once whatever leaf the device has; prints <c>step:NAME</c> after each
/// <see cref="RenewalStep"/> and blocks forever after the chosen one: the parent sends SIGKILL exactly there.
/// </summary>
internal static class DaemonRenewalCrash
{
    public static async Task<int> RunAsync(string configPath, string killAt)
    {
        var stopAt = Enum.Parse<RenewalStep>(killAt);
        var configuration = AgentConfiguration.Load(configPath);
        var clock = new ShiftedClock(OffsetToRenew(configuration));
        var options = new RuntimeOptions
        {
            RenewalStepReached = step =>
            {
                Console.Out.WriteLine($"step:{step}");
                Console.Out.Flush();
                if (step == stopAt)
                    Thread.Sleep(Timeout.Infinite);
            },
        };
        using var notifier = new SystemdNotifier(new Dictionary<string, string?>());
        using var stop = new CancellationTokenSource(); // never cancelled: the parent kills the harness
        var runtime = new AgentRuntime(configuration, StatusHardware.None.Indicator, notifier, [], options, clock, NullLogger<AgentRuntime>.Instance);
        await runtime.RunAsync(Task.Run(() => AgentAttestation.Open(configuration, clock)), stop.Token);
        return 0;
    }

    // How far ahead the wall clock must be for the current leaf to be due and the retired key's grace period over.
    private static TimeSpan OffsetToRenew(AgentConfiguration configuration)
    {
        var now = DateTimeOffset.UtcNow;
        var state = new StateStore(configuration.StateDirectory).Load();
        using var identity = CurrentCredential.Open(configuration);
        var offset = RenewalSchedule.For(identity.Leaf, configuration.Renewal).RenewAt - now;
        if (state?.RetiredKey is { } retired && retired.DestroyAfterUtc - now > offset)
            offset = retired.DestroyAfterUtc - now;
        return (offset > TimeSpan.Zero ? offset : TimeSpan.Zero) + TimeSpan.FromSeconds(1);
    }

    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
