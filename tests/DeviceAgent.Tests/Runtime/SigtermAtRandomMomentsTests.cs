using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.Runtime;

/// <summary>
/// systemd's stop at any moment of <c>deviceagent run</c>: SIGTERM lands at a random time after
/// the process started (opening the identity, provisioning, connecting to the hub, sending
/// telemetry, waiting after the hub refused the device) and the agent always exits 0 within the
/// stop timeout. The suite runs <see cref="DefaultStops"/> stops; <c>./build.sh sigterm [N] [AGENT]</c>
/// (DEVICEAGENT_SIGTERM_STOPS=N, DEVICEAGENT_SIGTERM_AGENT=executable) runs more. One endpoint process serves every stop; several
/// devices (SoftHSM2 keys) run side by side, one agent each at a time.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class SigtermAtRandomMomentsTests(TokenSimulators tokens) : IAsyncLifetime
{
    private const int DefaultStops = 12;
    private const int Lanes = 4;

    // Below the unit's TimeoutStopSec=30s with room: past it systemd would SIGKILL the agent.
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(15);

    private EndpointProcess _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await EndpointProcess.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    private enum Start
    {
        WithSavedState,     // straight to the hub
        WithoutState,       // provisions first
        ForgottenByTheHub,  // the hub refuses, the agent waits and provisions again
    }

    [Fact]
    public async Task SIGTERM_at_random_moments_of_run_always_exits_0_within_the_stop_timeout()
    {
        var stops = int.TryParse(Environment.GetEnvironmentVariable("DEVICEAGENT_SIGTERM_STOPS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultStops;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DEVICEAGENT_SIGTERM_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount;
        // Half the devices keep their key in the TPM (swtpm behind tpm2-pkcs11), half in SoftHSM2.
        var devices = Enumerable.Range(0, Lanes).Select(lane => DeviceUnderTest.Create(tokens.Get(lane % 2 == 0 ? TokenKind.SoftHsm : TokenKind.Tpm))).ToArray();
        try
        {
            foreach (var device in devices)
            {
                await _endpoint.Store.UploadCaAsync($"root-{Guid.NewGuid():N}", device.Chain.Root, verified: true);
                await _endpoint.Store.PutGroupAsync($"group-{Guid.NewGuid():N}", device.Chain.Intermediate);
            }
            var outcomes = await Task.WhenAll(devices.Select((device, lane) =>
                RunLaneAsync(device, new Random(seed + lane), stops / Lanes + (lane < stops % Lanes ? 1 : 0))));

            var all = outcomes.SelectMany(o => o).ToList();
            var failures = all.Where(o => !o.Clean).ToList();
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"{all.Count} stops (seed {seed}), {failures.Count} failed, {all.Count(o => o.KilledBeforeHandler)} killed by SIGTERM before the agent's handler existed; " +
                $"slowest stop {all.Max(o => o.Took).TotalMilliseconds:0} ms; {string.Join(", ", all.GroupBy(o => o.Start).Select(g => $"{g.Key} {g.Count()}"))}");
            Console.WriteLine(summary);
            Assert.True(failures.Count == 0, $"{summary}\n{string.Join("\n", failures.Select(f => f.Summary))}\n" +
                string.Join("\n=====\n", failures.Take(3).Select(f => f.Describe())) + $"\n--- endpoint\n{_endpoint.Output}");
        }
        finally
        {
            foreach (var device in devices)
                device.Dispose();
        }
    }

    private async Task<List<Stop>> RunLaneAsync(DeviceUnderTest device, Random random, int count)
    {
        var state = Path.Combine(device.Directory, "state");
        var config = AgentConfigFile.Write(device, _endpoint, state);
        var registrationId = device.Key.Pkcs11!.ObjectLabel!;
        var stops = new List<Stop>();
        // DEVICEAGENT_SIGTERM_AGENT: an executable to stop instead of the built deviceagent.dll (the packaged native AOT one).
        var native = Environment.GetEnvironmentVariable("DEVICEAGENT_SIGTERM_AGENT");
        var (program, prefix) = string.IsNullOrEmpty(native) ? ("dotnet", new[] { BuiltPrograms.DeviceAgent }) : (native, Array.Empty<string>());
        for (var i = 0; i < count; i++)
        {
            var start = (Start)random.Next(3);
            if (start == Start.WithoutState && Directory.Exists(state))
                Directory.Delete(state, recursive: true);
            if (start == Start.ForgottenByTheHub)
                await _endpoint.Store.DeleteHubDeviceAsync("hub1", registrationId, null);
            // The agent needs about a second (loaded machine: a few) from exec to its first
            // telemetry: 0-6 s covers start-up, provisioning, the hub connection and telemetry.
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 6000));
            using var agent = SpawnedProcess.Start(program, [.. prefix, "run", "--config", config], device.Token.Environment,
                Path.Combine(device.Directory, "agent.log"));
            await Task.Delay(delay);
            if (agent.TryGetEnd() is { } early)
            {
                stops.Add(new Stop(start, delay, early, TimeSpan.Zero, "exited before SIGTERM\n" + agent.Output));
                continue;
            }
            var watch = Stopwatch.StartNew();
            agent.Send(Signals.SIGTERM);
            var end = await agent.WaitAsync(s_stopTimeout);
            stops.Add(new Stop(start, delay, end, watch.Elapsed, agent.Output));
        }
        return stops;
    }

    // End is null when the agent was still running after the stop timeout (disposal kills it).
    private sealed record Stop(Start Start, TimeSpan Delay, ProcessEnd? End, TimeSpan Took, string Output)
    {
        // systemd counts exit 0 and death by SIGTERM as a clean stop (SuccessExitStatus's defaults).
        // The latter happens only while the runtime starts, before the agent registered its handler.
        public bool Clean => End is { ExitCode: 0 } || KilledBeforeHandler;

        public bool KilledBeforeHandler => End is { Signal: Signals.SIGTERM };

        public string Summary => string.Create(CultureInfo.InvariantCulture,
            $"{Start}, SIGTERM {Delay.TotalMilliseconds:0} ms after start: {End?.ToString() ?? "still running"} after {Took.TotalMilliseconds:0} ms");

        public string Describe() => new StringBuilder().AppendLine(Summary).Append(Output).ToString();
    }
}
