using System.Diagnostics;
using System.Globalization;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Benchmarks.Endpoint;

/// <summary>
/// Load generator for the provisioning endpoint (loopback only, bounded in count and time): N
/// devices with software keys each open a fresh mutual-TLS MQTT connection and register through
/// an enrollment group (the agent's own DPS client, retry-after 0, full chain validation and
/// SQLite with synchronous=FULL on the endpoint). In the same run, at the same concurrency, the
/// bare rate of mutual-TLS handshakes the same listener accepts. Then every record is checked:
/// one per device, assigned, each with its own hub device.
/// </summary>
public static class RegistrationLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        using var root = TestCa.CreateRoot("Load Root");
        using var line = root.IssueIntermediate("Load Line CA");
        await using var endpoint = await EndpointUnderTest.StartAsync(minimumLogLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        await endpoint.Store.UploadCaAsync("root", root.Certificate, verified: true);
        await endpoint.Store.PutGroupAsync("line", line.Certificate);
        var configuration = endpoint.Configuration;
        var store = endpoint.Store;
        Console.WriteLine($"issuing {devices} device identities ...");
        var identities = Enumerable.Range(0, devices).Select(i => line.IssueDevice($"load-{i:D5}")).ToList();
        var trust = TlsServerTrust.FromPemFile(endpoint.ServerCaPath);

        // Each device's TLS identity is built before timing: a device builds it once, at boot.
        var bundles = identities.Select(d => ChainBundle.Create(d.FullChain, d.RegistrationId)).ToList();
        var tls = identities.Select((d, i) => TlsClientIdentity.Create(bundles[i], d.Key)).ToList();

        // Interleaved rounds, so that both measurements see the same machine: bare mutual-TLS
        // handshakes against the same listener, then registrations (a fresh mutual-TLS MQTT
        // connection per device), at the same concurrency.
        const int Rounds = 8;
        var perRound = devices / Rounds;
        var handshakeRounds = new List<Measurement>();
        var registrationRounds = new List<Measurement>();
        for (var round = 0; round < Rounds; round++)
        {
            var offset = round * perRound;
            handshakeRounds.Add(await MeasureAsync(perRound, concurrency, async i =>
            {
                await using var stream = await MutualTlsConnector.ConnectAsync("localhost", configuration.DevicePort, tls[offset + i], trust);
            }));
            registrationRounds.Add(await MeasureAsync(perRound, concurrency, async i =>
            {
                var device = identities[offset + i];
                var transport = new DpsTransport("localhost", configuration.DevicePort, tls[offset + i], trust);
                var client = new DpsClient(transport.ConnectAsync, new DpsClientOptions { DefaultPollInterval = TimeSpan.Zero, MaximumRetries = 0 });
                var result = await client.RegisterAsync(configuration.IdScope, device.RegistrationId, null, CancellationToken.None);
                if (result.DeviceId != device.RegistrationId)
                    throw new InvalidOperationException($"{device.RegistrationId} was assigned as {result.DeviceId}");
            }));
        }
        var handshakes = Combine(handshakeRounds);
        var registrations = Combine(registrationRounds);
        var handshakeCount = perRound * Rounds;
        devices = perRound * Rounds;
        tls.ForEach(t => t.Dispose());
        bundles.ForEach(b => b.Dispose());

        // Nothing lost, nothing duplicated.
        var records = await store.ListRegistrationsAsync();
        var hubDevices = await store.ListHubDevicesAsync("hub1");
        var assigned = records.Count(r => r.Status == "assigned");
        var expected = identities.Take(devices).Select(d => d.RegistrationId).ToHashSet(StringComparer.Ordinal);
        var consistent = records.Count == devices && assigned == devices && hubDevices.Count == devices
            && records.Select(r => r.RegistrationId).ToHashSet(StringComparer.Ordinal).SetEquals(expected)
            && hubDevices.Select(h => h.DeviceId).Distinct(StringComparer.Ordinal).Count() == devices
            && registrations.Failures == 0;

        Console.WriteLine($"{devices} devices, concurrency {concurrency}, {Rounds} interleaved rounds, loopback, one process (endpoint and devices share 2 cores)");
        Console.WriteLine($"  bare mutual-TLS handshakes: {handshakes.Rate,8:0.0}/s   p50 {handshakes.P50,6:0.0} ms   p99 {handshakes.P99,6:0.0} ms   ({handshakeCount}, {handshakes.Failures} failed)");
        Console.WriteLine($"  registrations (TLS+MQTT+register+poll): {registrations.Rate,8:0.0}/s   p50 {registrations.P50,6:0.0} ms   p99 {registrations.P99,6:0.0} ms   ({devices}, {registrations.Failures} failed)");
        Console.WriteLine($"  ratio registrations/handshakes = {registrations.Rate / handshakes.Rate:0.00}  (target >= 0.50)");
        Console.WriteLine($"  records: {records.Count} ({assigned} assigned), hub devices: {hubDevices.Count}: {(consistent ? "none lost, none duplicated" : "INCONSISTENT")}");
        identities.ForEach(d => d.Dispose());
        return consistent ? 0 : 1;
    }

    private sealed record Measurement(double Rate, double P50, double P99, int Failures, double Seconds = 0, double[]? Latencies = null);

    private static Measurement Combine(List<Measurement> rounds)
    {
        var latencies = rounds.SelectMany(r => r.Latencies!).Order().ToArray();
        var seconds = rounds.Sum(r => r.Seconds);
        return new Measurement(latencies.Length / seconds, latencies[(int)(latencies.Length * 0.50)],
            latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))], rounds.Sum(r => r.Failures), seconds, latencies);
    }

    private static async Task<Measurement> MeasureAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var failures = 0;
        var deadline = DateTime.UtcNow.AddMinutes(5); // bounded in time as well as count
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && DateTime.UtcNow < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await operation(i);
                }
#pragma warning disable CA1031 // a failed operation is counted and reported
                catch (Exception e)
#pragma warning restore CA1031
                {
                    if (Interlocked.Increment(ref failures) <= 3)
                        Console.Error.WriteLine($"  failure: {e.Message}");
                }
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        var elapsed = watch.Elapsed.TotalSeconds;
        var done = Math.Min(count, next);
        var sorted = latencies.Take(done).Order().ToArray();
        return new Measurement(done / elapsed, sorted[(int)(sorted.Length * 0.50)], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], failures, elapsed, sorted);
    }
}
