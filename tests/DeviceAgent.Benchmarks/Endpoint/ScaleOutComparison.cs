using System.Globalization;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Benchmarks.Endpoint;

/// <summary>
/// <c>./build.sh bench scale-out [devices] [concurrency] [rounds]</c>: registrations/s and p99 of
/// <c>provisioning-endpoint</c> processes, side by side in one run on this machine, in interleaved
/// rounds (each round registers a slice of the devices against every setup in turn):
/// one instance direct on SQLite; one instance direct on PostgreSQL; one and two instances on
/// PostgreSQL behind HAProxy (TCP mode). PostgreSQL runs with fsync on, as SQLite runs with
/// synchronous=FULL. Each setup has its own store; the same device identities register on each.
/// The devices (the agent's DPS client) run in this process: the load generator, the endpoints,
/// HAProxy and PostgreSQL share the machine's cores, so the figures are ratios, not capacities.
/// </summary>
public static class ScaleOutComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        await using var postgres = await PostgresServer.StartAsync(durable: true);
        using var root = TestCa.CreateRoot("Scale Bench Root");
        using var line = root.IssueIntermediate("Scale Bench Line CA");
        Console.WriteLine($"starting the setups, issuing {devices} device identities ...");
        var setups = new List<(string Name, EndpointCluster Cluster)>();
        try
        {
            setups.Add(("1 instance direct, SQLite", await EndpointCluster.StartAsync(1, sqlite: true, behindProxy: false)));
            setups.Add(("1 instance direct, PostgreSQL", await EndpointCluster.StartAsync(1, await postgres.CreateDatabaseAsync("direct"), behindProxy: false)));
            setups.Add(("1 instance behind HAProxy, PostgreSQL", await EndpointCluster.StartAsync(1, await postgres.CreateDatabaseAsync("proxy1"))));
            setups.Add(("2 instances behind HAProxy, PostgreSQL", await EndpointCluster.StartAsync(2, await postgres.CreateDatabaseAsync("proxy2"))));
            foreach (var (_, cluster) in setups)
            {
                await cluster.Store.UploadCaAsync("root", root.Certificate, verified: true);
                await cluster.Store.PutGroupAsync("line", line.Certificate);
            }
            using var fleet = new DeviceFleet(line, devices, "bench");

            // Rounds interleave the setups, so each sees the same machine; the first round (JIT, pools) is measured like the others.
            var outcomes = setups.ToDictionary(s => s.Name, _ => new List<DeviceFleet.Outcome>(), StringComparer.Ordinal);
            var perRound = devices / rounds;
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, cluster) in setups)
                {
                    outcomes[name].Add(await fleet.RegisterAsync(cluster.IdScope, cluster.ServerCaPath, cluster.DevicePort, concurrency,
                        round * perRound, (round + 1) * perRound));
                }
            }

            Console.WriteLine($"{perRound * rounds} devices per setup, concurrency {concurrency}, {rounds} interleaved rounds, loopback; devices, endpoints, HAProxy and PostgreSQL share {Environment.ProcessorCount} cores");
            var consistent = true;
            double? baseRate = null, baseP99 = null;
            foreach (var (name, cluster) in setups)
            {
                var all = outcomes[name];
                var latencies = all.SelectMany(o => o.LatenciesMs).ToArray();
                var combined = new DeviceFleet.Outcome(latencies, all.Sum(o => o.Seconds), all.Sum(o => o.Retries), [.. all.SelectMany(o => o.Failures)]);
                baseRate ??= combined.Rate;
                baseP99 ??= combined.P99;
                var records = await cluster.Store.ListRegistrationsAsync();
                var hubDevices = await cluster.Store.ListHubDevicesAsync("hub1");
                var ok = combined.Failures.Count == 0 && records.Count == perRound * rounds && hubDevices.Count == records.Count && records.All(r => r.Status == "assigned");
                consistent &= ok;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-40} {combined.Rate,7:0.0} registrations/s ({combined.Rate / baseRate.Value,4:0.00}x)   p99 {combined.P99,7:0.0} ms ({combined.P99 / baseP99.Value,4:0.00}x)   retries {combined.Retries}, failed {combined.Failures.Count}, records {records.Count}, hub devices {hubDevices.Count}{(ok ? "" : "  INCONSISTENT")}"));
                foreach (var failure in combined.Failures.Take(3))
                    Console.WriteLine($"    failure: {failure}");
            }
            Console.WriteLine("  (ratios against the first line: 1 instance direct on SQLite)");
            return consistent ? 0 : 1;
        }
        finally
        {
            foreach (var (_, cluster) in setups)
                await cluster.DisposeAsync();
        }
    }
}
