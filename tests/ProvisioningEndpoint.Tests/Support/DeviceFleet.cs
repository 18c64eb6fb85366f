using System.Diagnostics;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// A load generator: N devices of one line CA, each registering with the agent's own DPS client on
/// a fresh mutual-TLS MQTT connection, at a fixed concurrency. A device whose attempt fails (the
/// instance serving it was killed) tries again on a new connection, as a device would, up to
/// <see cref="Attempts"/> times. Identities are made before timing.
/// </summary>
internal sealed class DeviceFleet : IDisposable
{
    private readonly List<TestDevice> _devices;
    private readonly List<ChainBundle> _bundles;
    private readonly List<TlsClientIdentity> _tls;

    public DeviceFleet(TestCa line, int count, string prefix = "fleet")
    {
        ArgumentNullException.ThrowIfNull(line);
        _devices = [.. Enumerable.Range(0, count).Select(i => line.IssueDevice($"{prefix}-{i:D5}"))];
        _bundles = [.. _devices.Select(d => ChainBundle.Create(d.FullChain, d.RegistrationId))];
        _tls = [.. _devices.Select((d, i) => TlsClientIdentity.Create(_bundles[i], d.Key))];
    }

    public const int Attempts = 5;

    public IReadOnlyList<TestDevice> Devices => _devices;

    /// <summary>What a run measured: per-device latency (ms, first attempt to assignment), devices/s, retries, failures.</summary>
    public sealed record Outcome(double[] LatenciesMs, double Seconds, int Retries, IReadOnlyList<string> Failures)
    {
        public double Rate => LatenciesMs.Length / Seconds;

        public double P99 => LatenciesMs.Length == 0 ? 0 : LatenciesMs.Order().ElementAt(Math.Min(LatenciesMs.Length - 1, (int)(LatenciesMs.Length * 0.99)));
    }

    /// <summary>
    /// Registers devices [<paramref name="from"/>, <paramref name="to"/>) through localhost:<paramref name="port"/>;
    /// <paramref name="progress"/> sees the count of devices done after each one.
    /// </summary>
    public async Task<Outcome> RegisterAsync(string idScope, string serverCaPath, int port, int concurrency, int from = 0, int? to = null, Action<int>? progress = null)
    {
        var end = to ?? _devices.Count;
        var trust = TlsServerTrust.FromPemFile(serverCaPath);
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var next = from - 1;
        var done = 0;
        var retries = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < end)
            {
                var device = _devices[i];
                var started = Stopwatch.GetTimestamp();
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        var transport = new DpsTransport("localhost", port, _tls[i], trust);
                        var client = new DpsClient(transport.ConnectAsync, new DpsClientOptions { DefaultPollInterval = TimeSpan.Zero, MaximumRetries = 0 });
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                        var result = await client.RegisterAsync(idScope, device.RegistrationId, null, timeout.Token);
                        if (result.DeviceId != device.RegistrationId)
                            throw new InvalidOperationException($"assigned as {result.DeviceId}");
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        break;
                    }
#pragma warning disable CA1031 // a failed attempt is retried, then reported
                    catch (Exception) when (attempt < Attempts)
#pragma warning restore CA1031
                    {
                        Interlocked.Increment(ref retries);
                        await Task.Delay(100 * attempt);
                    }
#pragma warning disable CA1031
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        failures.Add($"{device.RegistrationId}: {e.GetType().Name}: {e.Message}");
                        break;
                    }
                }
                progress?.Invoke(Interlocked.Increment(ref done));
            }
        })));
        return new Outcome([.. latencies], watch.Elapsed.TotalSeconds, retries, [.. failures]);
    }

    public void Dispose()
    {
        _tls.ForEach(t => t.Dispose());
        _bundles.ForEach(b => b.Dispose());
        _devices.ForEach(d => d.Dispose());
    }
}
