using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.Faults;

/// <summary>
/// The system held under load and faults for a while: agents (`deviceagent run`, SoftHSM2 keys)
/// sending telemetry to the hub through a fault proxy, new devices registering all the time, and
/// every few seconds a fault — the hub link gone half-open, a peer that reads nothing, connections
/// to DPS reset mid-handshake, an agent stopped with SIGTERM and started again. The endpoint's
/// RSS, descriptors and threads are sampled throughout and must not grow. It takes minutes, so it
/// is not part of the suite (reported there as skipped): <c>./build.sh soak [MINUTES]</c> runs it
/// (DEVICEAGENT_SOAK_MINUTES; DEVICEAGENT_SOAK_MINUTES=0.3 is its shortest useful run).
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class SoakTests(TokenSimulators tokens)
{
    private const int Agents = 3;

    [SoakFact]
    public async Task Under_load_and_periodic_faults_the_endpoint_does_not_grow_and_every_agent_keeps_sending()
    {
        var duration = TimeSpan.FromMinutes(SoakFactAttribute.Minutes!.Value);
        var faultEvery = duration < TimeSpan.FromMinutes(2) ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(20);
        var sampleEvery = duration < TimeSpan.FromMinutes(2) ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(15);
        await using var endpoint = await EndpointProcess.StartAsync();
        await using var hub = new FaultProxy("localhost", endpoint.HubPort);
        await using var dps = new FaultProxy("localhost", endpoint.DevicePort, ProxyFault.None, 0);
        using var fleet = await SoftwareFleet.EnrollAsync(endpoint);
        var devices = Enumerable.Range(0, Agents).Select(_ => DeviceUnderTest.Create(tokens.SoftHsm)).ToArray();
        var agents = new AgentDaemon?[Agents];
        var configs = new string[Agents];
        var report = new StringBuilder();
        try
        {
            for (var i = 0; i < Agents; i++)
            {
                await endpoint.Store.UploadCaAsync($"root-{Guid.NewGuid():N}", devices[i].Chain.Root, verified: true);
                await endpoint.Store.PutGroupAsync($"group-{Guid.NewGuid():N}", devices[i].Chain.Intermediate);
                configs[i] = await ProvisionThroughProxiesAsync(endpoint, devices[i], dps, hub);
                agents[i] = AgentDaemon.Start(configs[i], devices[i].Token.Environment);
            }
            using var stop = new CancellationTokenSource();
            var registering = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await fleet.RegisterOneAsync(endpoint, dps.Port, stop.Token);
                    await Task.Delay(200, CancellationToken.None);
                }
            });

            var samples = new List<(TimeSpan At, long Rss, int Fds, int Threads, int Telemetry)>();
            var watch = Stopwatch.StartNew();
            var nextFault = faultEvery;
            var nextSample = TimeSpan.Zero;
            var faults = 0;
            var faultLog = new List<string>();
            while (watch.Elapsed < duration)
            {
                if (watch.Elapsed >= nextSample)
                {
                    var (rss, fds, threads) = Sample(endpoint.ProcessId);
                    var telemetry = 0;
                    foreach (var device in devices)
                        telemetry += (await endpoint.Store.ListTelemetryAsync("hub1", device.Key.Pkcs11!.ObjectLabel!, 10_000)).Count;
                    samples.Add((watch.Elapsed, rss, fds, threads, telemetry));
                    nextSample += sampleEvery;
                }
                if (watch.Elapsed >= nextFault)
                {
                    var lane = faults % Agents;
                    switch (faults++ % 4)
                    {
                        case 0:
                            faultLog.Add($"{watch.Elapsed.TotalSeconds:0}s half-open hub links ({hub.Break(ProxyFault.HalfOpen)})");
                            break;
                        case 1:
                            faultLog.Add($"{watch.Elapsed.TotalSeconds:0}s hub peers that read nothing ({hub.Break(ProxyFault.SilentReader)})");
                            break;
                        case 2:
                            dps.Fault = ProxyFault.ResetMidHandshake;
                            dps.FaultCount = dps.Faulted + 2;
                            faultLog.Add($"{watch.Elapsed.TotalSeconds:0}s next 2 DPS connections reset mid-handshake");
                            break;
                        default:
                            var (exitCode, took) = await agents[lane]!.StopAsync();
                            Assert.True(exitCode == 0, $"agent {lane} exited {exitCode} on SIGTERM:\n{agents[lane]!.Output}");
                            await agents[lane]!.DisposeAsync();
                            agents[lane] = AgentDaemon.Start(configs[lane], devices[lane].Token.Environment);
                            faultLog.Add($"{watch.Elapsed.TotalSeconds:0}s agent {lane} SIGTERM (exit 0 in {took.TotalMilliseconds:0} ms) and start");
                            break;
                    }
                    nextFault += faultEvery;
                }
                foreach (var (agent, i) in agents.Select((a, i) => (a!, i)))
                    Assert.False(agent.Process.HasExited, $"agent {i} exited:\n{agent.Output}");
                await Task.Delay(100);
            }
            await stop.CancelAsync();
            await registering;

            // The last faults cleared: every agent sends again.
            var telemetryBefore = new int[Agents];
            for (var i = 0; i < Agents; i++)
                telemetryBefore[i] = (await endpoint.Store.ListTelemetryAsync("hub1", devices[i].Key.Pkcs11!.ObjectLabel!, 10_000)).Count;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            for (var i = 0; i < Agents; i++)
            {
                while ((await endpoint.Store.ListTelemetryAsync("hub1", devices[i].Key.Pkcs11!.ObjectLabel!, 10_000)).Count < telemetryBefore[i] + 2)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"agent {i} did not send again within 60 s of the last fault:\n{agents[i]!.Output}");
                    await Task.Delay(200);
                }
            }
            await fleet.AssertNoneLostAsync(endpoint.Store);

            report.AppendLine(CultureInfo.InvariantCulture, $"soak: {duration.TotalMinutes:0.#} min, {Agents} agents, {fleet.Acknowledged.Count} registrations acknowledged ({fleet.Failures.Count} cut by faults), {faults} faults");
            report.AppendLine("     t   endpoint RSS   fds  threads  telemetry");
            foreach (var s in samples)
                report.AppendLine(CultureInfo.InvariantCulture, $"  {s.At.TotalSeconds,4:0}s   {s.Rss / 1048576.0,8:0.0} MiB  {s.Fds,4}  {s.Threads,7}  {s.Telemetry,9}");
            report.AppendLine("  faults: " + string.Join("; ", faultLog));
            Console.WriteLine(report);

            // Growth: the last third of the run against the first third after warm-up (the first sample).
            var third = Math.Max(1, (samples.Count - 1) / 3);
            var early = samples.Skip(1).Take(third).ToList();
            var late = samples.TakeLast(third).ToList();
            var rssGrowth = late.Average(s => (double)s.Rss) - early.Average(s => (double)s.Rss);
            var fdGrowth = late.Average(s => s.Fds) - early.Average(s => s.Fds);
            var threadGrowth = late.Average(s => s.Threads) - early.Average(s => s.Threads);
            Assert.True(rssGrowth < Math.Max(64L * 1024 * 1024, early.Average(s => (double)s.Rss) * 0.5), $"endpoint RSS grew {rssGrowth / 1048576:0.0} MiB\n{report}");
            Assert.True(fdGrowth < 32, $"endpoint descriptors grew {fdGrowth:0}\n{report}");
            Assert.True(threadGrowth < 16, $"endpoint threads grew {threadGrowth:0}\n{report}");
            for (var i = 0; i < Agents; i++)
            {
                var (exitCode, _) = await agents[i]!.StopAsync();
                Assert.True(exitCode == 0, $"agent {i} exited {exitCode}:\n{agents[i]!.Output}");
            }
        }
        finally
        {
            foreach (var agent in agents)
            {
                if (agent is not null)
                    await agent.DisposeAsync();
            }
            foreach (var device in devices)
                device.Dispose();
        }
    }

    private static (long Rss, int Fds, int Threads) Sample(int pid)
    {
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts[0] == "VmRSS:")
                rss = long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
            else if (parts[0] == "Threads:")
                threads = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return (rss, Directory.GetFiles($"/proc/{pid}/fd").Length, threads);
    }

    // Provisions through the DPS proxy, then points the saved assignment at the hub proxy.
    private static async Task<string> ProvisionThroughProxiesAsync(EndpointProcess endpoint, DeviceUnderTest device, FaultProxy dps, FaultProxy hub)
    {
        var path = AgentConfigFile.Write(device, endpoint, Path.Combine(device.Directory, "state"));
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        config["provisioning"]!["endpoint"] = $"localhost:{dps.Port}";
        config["hub"]!["keepAliveSeconds"] = 5;
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var provision = await AgentProcess.RunAsync(["provision", "--config", path], device.Token.Environment);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        var statePath = Path.Combine(device.Directory, "state", "state.json");
        var state = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        state["assignedHub"] = $"localhost:{hub.Port}";
        await File.WriteAllTextAsync(statePath, state.ToJsonString());
        return path;
    }
}

/// <summary>A fact that runs only when DEVICEAGENT_SOAK_MINUTES is set (<c>./build.sh soak</c>); otherwise skipped, saying how to run it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (Minutes is null)
            Skip = "a soak of minutes: run it with ./build.sh soak [MINUTES]";
    }

    /// <summary>DEVICEAGENT_SOAK_MINUTES, when a positive number.</summary>
    public static double? Minutes =>
        double.TryParse(Environment.GetEnvironmentVariable("DEVICEAGENT_SOAK_MINUTES"), CultureInfo.InvariantCulture, out var minutes) && minutes > 0 ? minutes : null;
}
