using System.Diagnostics;
using System.Text.Json;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// N <c>provisioning-endpoint serve</c> processes on one PostgreSQL database (a fresh one on the
/// shared cluster, or a given one), each in its own data directory on its own ports, behind a real
/// HAProxy in TCP mode: devices and operators use the proxy's ports (DPS, REST, hub1), every
/// instance advertises the proxy's hub port. All instances start at once (so they race to migrate
/// and to seed the shared settings). For comparisons (the scale-out benchmark) also one instance
/// without the proxy, on PostgreSQL or on its own SQLite file. Killed and removed on disposal.
/// </summary>
internal sealed class EndpointCluster : IAsyncDisposable
{
    private readonly List<Instance> _instances;

    private EndpointCluster(List<Instance> instances, HaproxyServer? proxy, IProvisioningStore store)
    {
        _instances = instances;
        Proxy = proxy;
        Store = store;
    }

    /// <summary>One endpoint process, with the ports it binds (clients are told the proxy's).</summary>
    public sealed record Instance(Process Process, string DataDirectory, int DevicePort, int RestPort, int HubPort, System.Text.StringBuilder Output)
    {
        public string Log
        {
            get
            {
                lock (Output)
                    return Output.ToString();
            }
        }
    }

    public IReadOnlyList<Instance> Instances => _instances;

    /// <summary>The load balancer, or null when the instance is used directly.</summary>
    public HaproxyServer? Proxy { get; }

    /// <summary>The shared store, opened by the test (a further instance's view).</summary>
    public IProvisioningStore Store { get; }

    /// <summary>The DPS port devices use: the proxy's, or the single instance's.</summary>
    public int DevicePort => Proxy?.Ports["dps"] ?? _instances[0].DevicePort;

    /// <summary>The REST port in the connection string: the proxy's, or the single instance's.</summary>
    public int RestPort => Proxy?.Ports["rest"] ?? _instances[0].RestPort;

    /// <summary>The first instance's server CA (every instance serves the same one).</summary>
    public string ServerCaPath => new EndpointDataDirectory(_instances[0].DataDirectory).ServerCaCertificateFile;

    /// <summary>The owner key every instance shares.</summary>
    public byte[] OwnerKey => new EndpointDataDirectory(_instances[0].DataDirectory).ReadOwnerKey();

    public string IdScope => new EndpointDataDirectory(_instances[0].DataDirectory).LoadConfiguration().IdScope;

    /// <summary>
    /// Starts <paramref name="count"/> instances on <paramref name="connectionString"/> (default a
    /// fresh database of the shared cluster; null with <paramref name="sqlite"/>: one instance on
    /// its data directory's SQLite file), behind HAProxy unless <paramref name="behindProxy"/> is false.
    /// </summary>
    public static async Task<EndpointCluster> StartAsync(int count, string? connectionString = null, bool behindProxy = true, bool sqlite = false)
    {
        if (!sqlite)
            connectionString ??= await (await PostgresServer.Shared).CreateDatabaseAsync("cluster");
        var (proxyDps, proxyRest, proxyHub) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var instances = Enumerable.Range(0, count).Select(_ => Launch(sqlite ? null : connectionString, behindProxy ? (proxyDps, proxyRest, proxyHub) : null)).ToList();
        try
        {
            foreach (var instance in instances)
                await FreePort.WaitUntilListeningAsync(instance.HubPort, TimeSpan.FromSeconds(60), () => instance.Log);
            var proxy = !behindProxy ? null : await HaproxyServer.StartAsync(
            [
                new HaproxyServer.Route("dps", [.. instances.Select(i => i.DevicePort)], proxyDps),
                new HaproxyServer.Route("rest", [.. instances.Select(i => i.RestPort)], proxyRest),
                new HaproxyServer.Route("hub1", [.. instances.Select(i => i.HubPort)], proxyHub),
            ]);
            IProvisioningStore store = sqlite
                ? await SqliteProvisioningStore.OpenAsync(new EndpointDataDirectory(instances[0].DataDirectory).DatabaseFile)
                : await PostgresProvisioningStore.OpenAsync(connectionString!);
            return new EndpointCluster(instances, proxy, store);
        }
        catch
        {
            foreach (var instance in instances)
                Stop(instance);
            throw;
        }
    }

    /// <summary><c>info --json</c> of an instance's data directory.</summary>
    public static async Task<JsonElement> InfoAsync(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var info = await ExternalProcess.RunAsync("dotnet", [BuiltPrograms.ProvisioningEndpoint, "info", "--data-dir", instance.DataDirectory, "--json"]);
        if (info.ExitCode != 0)
            throw new InvalidOperationException($"info failed: {info.Transcript}");
        return JsonDocument.Parse(info.StandardOutput).RootElement.Clone();
    }

    /// <summary>SIGKILL: no shutdown, connections cut mid-flight.</summary>
    public static void Kill(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Signals.Send(instance.Process, Signals.SIGKILL);
        instance.Process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        if (Store is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        if (Store is SqliteProvisioningStore)
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var instance in _instances)
            Stop(instance);
    }

    // Binds its own ports; advertises the proxy's (when there is one).
    private static Instance Launch(string? connectionString, (int Device, int Api, int Hub)? advertised)
    {
        var directory = Directory.CreateTempSubdirectory("endpoint-cluster.").FullName;
        var (device, rest, hub) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var (shownDevice, shownRest, shownHub) = advertised ?? (device, rest, hub);
        var output = new System.Text.StringBuilder();
        List<string> arguments =
        [
            BuiltPrograms.ProvisioningEndpoint, "serve", "--data-dir", directory, "--listen", "127.0.0.1",
            "--device-port", $"{shownDevice}", "--device-listen-port", $"{device}", "--device-https-port", "0",
            "--rest-port", $"{shownRest}", "--rest-listen-port", $"{rest}",
            "--hub", $"hub1=localhost:{shownHub}", "--hub-listen-port", $"hub1={hub}", "--retry-after", "0", "--throttle-polls", "false",
        ];
        if (connectionString is not null)
            arguments.AddRange(["--store", connectionString]);
        var process = Process.Start(ExternalProcess.StartInfo("dotnet", arguments))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Instance(process, directory, device, rest, hub, output);
    }

    private static void Stop(Instance instance)
    {
        if (!instance.Process.HasExited)
        {
            instance.Process.Kill(entireProcessTree: true);
            instance.Process.WaitForExit();
        }
        instance.Process.Dispose();
        Directory.Delete(instance.DataDirectory, recursive: true);
    }
}
