using System.Globalization;
using System.Runtime.InteropServices;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Benchmarks.Agent;

/// <summary>
/// Time to first telemetry and peak memory of a factory-fresh device: our agent (the built
/// <c>deviceagent run</c>, its key inside swtpm) against the official Azure IoT Node.js SDK
/// (tests/node/dps-device.mjs, software key), both against the same in-process endpoint
/// (retry-after 0, poll throttling off), in interleaved rounds A, B, A, B, ... after one warm-up
/// pair that is shown but not counted. Each round's devices are new (own key, own leaf, own
/// registration id), so each really registers through the enrollment group, gets a new hub
/// identity and connects to the hub; nothing is cached between rounds but the OS's page cache.
/// Then one untimed agent run through pkcs11-spy counts the token operations it costs.
/// </summary>
public static class FirstTelemetryComparison
{
    private const double MiB = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        if (rounds < 1)
            throw new ArgumentOutOfRangeException(nameof(args), "rounds must be at least 1");
        // Another build of the agent (e.g. a copy of an earlier one, to compare before and after a change).
        var agentProgram = args.Length > 1 ? Path.GetFullPath(args[1]) : FirstTelemetryRig.BuiltAgentProgram;
        if (!File.Exists(agentProgram))
            throw new FileNotFoundException($"{agentProgram} does not exist", agentProgram);
        _ = FirstTelemetryRig.NodeProgram; // fail before starting anything when a program is missing

        // SIGINT/SIGTERM end the runs through the token, so that the simulators, the endpoint and the
        // device processes are stopped and the temp directories removed.
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

        var loadAtStart = LoadAverage();
        await using var rig = await FirstTelemetryRig.StartAsync(agentProgram);
        // Factory first: every key is generated in the TPM before any timing, so that the token
        // holds the same objects during every round.
        var agents = Enumerable.Range(0, rounds + 1).Select(r => rig.CreateAgent($"agent-{r:D2}")).ToList();
        var natives = Enumerable.Range(0, rounds + 1).Select(r => rig.CreateNativeAgent($"native-{r:D2}")).ToList();
        var nodes = Enumerable.Range(0, rounds + 1).Select(r => rig.CreateNode($"node-{r:D2}")).ToList();
        var spyLog = Path.Combine(Path.GetTempPath(), $"first-telemetry-spy.{Environment.ProcessId}.log");
        var spied = rig.CreateAgent("agent-spy", spyLog);

        var agentRuns = new List<RunResult>();
        var nativeRuns = new List<RunResult>();
        var nodeRuns = new List<RunResult>();
        for (var round = 0; round <= rounds; round++)
        {
            agentRuns.Add(await FirstTelemetryRun.MeasureAsync(agents[round], rig.Endpoint.Store, stop.Token));
            nativeRuns.Add(await FirstTelemetryRun.MeasureAsync(natives[round], rig.Endpoint.Store, stop.Token));
            nodeRuns.Add(await FirstTelemetryRun.MeasureAsync(nodes[round], rig.Endpoint.Store, stop.Token));
        }
        RunResult spy;
        Dictionary<string, int> tokenCalls;
        try
        {
            spy = await FirstTelemetryRun.MeasureAsync(spied, rig.Endpoint.Store, stop.Token);
            tokenCalls = Pkcs11Spy.CountCalls(await File.ReadAllTextAsync(spyLog));
        }
        finally
        {
            File.Delete(spyLog);
        }
        var loadAtEnd = LoadAverage();
        Report(rounds, agentProgram, agentRuns, nativeRuns, nodeRuns, spy, tokenCalls, loadAtStart, loadAtEnd);
        return 0;
    }

    private static void Report(int rounds, string agentProgram, List<RunResult> agentRuns, List<RunResult> nativeRuns, List<RunResult> nodeRuns, RunResult spy, Dictionary<string, int> tokenCalls,
        string loadAtStart, string loadAtEnd)
    {
        var agents = agentRuns.Skip(1).ToList();
        var natives = nativeRuns.Skip(1).ToList();
        var nodes = nodeRuns.Skip(1).ToList();
        Line($"first telemetry of a factory-fresh device, {rounds} interleaved rounds (agent, native, node, agent, native, node, ...) after one warm-up round; {Environment.ProcessorCount} cores");
        Line($"  A agent:  {agentProgram} run, key EC P-256 inside swtpm (tpm2-abrmd, tpm2-pkcs11), telemetry every 1 s");
        Line($"  C native: the same program, key EC P-256 inside another swtpm through our own TPM stack (identity.tpm, tpm:handle=; no abrmd, no PKCS#11)");
        Line($"  B node:  dps-device.mjs, official SDK (provisioning-device-mqtt, security-x509, device-mqtt), software EC P-256 key, TELEMETRY_COUNT=1");
        Line($"  endpoint in this process on loopback, retry-after 0, poll throttling off; group on a line CA below a verified root; new registration id per device");
        Line($"  time: process start -> the hub's receive stamp of the device's first message (taken as the endpoint queues and acknowledges it)");
        Line($"  RSS: VmHWM of the process tree (agent: the apphost process, which is the runtime; node: node), read right before SIGTERM");
        Line($"  the agent sends its first message as soon as the hub's CONNACK arrives (AgentRuntime: connect, compose, send, then wait the interval)");
        Console.WriteLine();
        Line($"  {"round",-8} {"agent ms",9} {"native ms",10} {"node ms",9} {"agent RSS MiB",14} {"native RSS MiB",15} {"node RSS MiB",13}");
        for (var i = 0; i < agentRuns.Count; i++)
        {
            var (agent, native, node) = (agentRuns[i], nativeRuns[i], nodeRuns[i]);
            Line($"  {(i == 0 ? "warm-up" : i.ToString(CultureInfo.InvariantCulture)),-8} {agent.FirstTelemetryMilliseconds,9:0.0} {native.FirstTelemetryMilliseconds,10:0.0} {node.FirstTelemetryMilliseconds,9:0.0} {agent.PeakRssBytes / MiB,14:0.0} {native.PeakRssBytes / MiB,15:0.0} {node.PeakRssBytes / MiB,13:0.0}");
        }
        var agentTime = Median(agents.Select(r => r.FirstTelemetryMilliseconds));
        var nativeTime = Median(natives.Select(r => r.FirstTelemetryMilliseconds));
        var nodeTime = Median(nodes.Select(r => r.FirstTelemetryMilliseconds));
        var agentRss = Median(agents.Select(r => r.PeakRssBytes / MiB));
        var nativeRss = Median(natives.Select(r => r.PeakRssBytes / MiB));
        var nodeRss = Median(nodes.Select(r => r.PeakRssBytes / MiB));
        Line($"  {"median",-8} {agentTime,9:0.0} {nativeTime,10:0.0} {nodeTime,9:0.0} {agentRss,14:0.0} {nativeRss,15:0.0} {nodeRss,13:0.0}");
        Console.WriteLine();
        Line($"ratio wall time agent/node = {agentTime / nodeTime:0.00}, native/node = {nativeTime / nodeTime:0.00}, native/agent = {nativeTime / agentTime:0.00}  (target <= 0.6 for the packaged build)");
        Line($"ratio peak RSS  agent/node = {agentRss / nodeRss:0.00}, native/node = {nativeRss / nodeRss:0.00}  (target <= 0.5)");
        Console.WriteLine();
        Line($"phases, median ms since process start (output line arrival; the agent logs at Information level):");
        Line($"  agent: identity opened {Median(agents.Select(r => r.LineTime("provisioning: "))),7:0.0}   registered {Median(agents.Select(r => r.LineTime("assigned to hub"))),7:0.0}   hub connected {Median(agents.Select(r => r.LineTime("connected to hub"))),7:0.0}   first telemetry {agentTime,7:0.0}");
        Line($"  node:  {"",23}   registered {Median(nodes.Select(r => r.LineTime("\"registration\""))),7:0.0}   {"",21}   first telemetry {nodeTime,7:0.0}   acknowledged (stdout) {Median(nodes.Select(r => r.LineTime("\"telemetry\""))),7:0.0}");
        Line($"observer: the 5 ms store poll saw the message {Median(agents.Select(r => r.DetectedMilliseconds - r.FirstTelemetryMilliseconds)):0.0} ms (agent) / {Median(nodes.Select(r => r.DetectedMilliseconds - r.FirstTelemetryMilliseconds)):0.0} ms (node) after the hub's stamp (median)");
        Line($"stop: SIGTERM -> exit 0 in {Median(agents.Select(r => r.StopMilliseconds)):0} ms (agent) / {Median(nodes.Select(r => r.StopMilliseconds)):0} ms (node), median; processes in the RSS sums: agent {agents.Max(r => r.Processes)}, node {nodes.Max(r => r.Processes)}");
        var signs = tokenCalls.GetValueOrDefault("C_Sign");
        var calls = tokenCalls.Values.Sum();
        Line($"token operations of one agent run through pkcs11-spy (untimed; {spy.FirstTelemetryMilliseconds:0} ms with the spy): C_Sign {signs} (DPS handshake + hub handshake = 2 expected), {calls} PKCS#11 calls in all:");
        Line($"  {string.Join(", ", tokenCalls.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))}");
        Line($"load average: start {loadAtStart}, end {loadAtEnd}");
    }

    private static void Line(FormattableString text) => Console.WriteLine(text.ToString(CultureInfo.InvariantCulture));

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
