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
/// and to seed the shared settings). Killed and removed on disposal.
/// </summary>
internal sealed class EndpointCluster : IAsyncDisposable
{
    private readonly List<Instance> _instances;

    private EndpointCluster(List<Instance> instances, HaproxyServer proxy, PostgresProvisioningStore store)
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

    public HaproxyServer Proxy { get; }

    /// <summary>The shared store, opened by the test (a further instance's view).</summary>
    public PostgresProvisioningStore Store { get; }

    public int DevicePort => Proxy.Ports["dps"];

    public int RestPort => Proxy.Ports["rest"];

    /// <summary>The first instance's server CA (every instance serves the same one).</summary>
    public string ServerCaPath => new EndpointDataDirectory(_instances[0].DataDirectory).ServerCaCertificateFile;

    /// <summary>The owner key every instance shares.</summary>
    public byte[] OwnerKey => new EndpointDataDirectory(_instances[0].DataDirectory).ReadOwnerKey();

    public string IdScope => new EndpointDataDirectory(_instances[0].DataDirectory).LoadConfiguration().IdScope;

    /// <summary>Starts <paramref name="count"/> instances behind HAProxy (with none: not started, for a direct-only run).</summary>
    public static async Task<EndpointCluster> StartAsync(int count, string? connectionString = null, bool behindProxy = true)
    {
        connectionString ??= await (await PostgresServer.Shared).CreateDatabaseAsync("cluster");
        var (proxyDps, proxyRest, proxyHub) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var instances = Enumerable.Range(0, count).Select(_ => Launch(connectionString, proxyDps, proxyRest, proxyHub)).ToList();
        try
        {
            foreach (var instance in instances)
                await FreePort.WaitUntilListeningAsync(instance.HubPort, TimeSpan.FromSeconds(60), () => instance.Log);
            var proxy = await HaproxyServer.StartAsync(
            [
                new HaproxyServer.Route("dps", [.. instances.Select(i => i.DevicePort)], proxyDps),
                new HaproxyServer.Route("rest", [.. instances.Select(i => i.RestPort)], proxyRest),
                new HaproxyServer.Route("hub1", [.. instances.Select(i => i.HubPort)], proxyHub),
            ]);
            return new EndpointCluster(instances, proxy, await PostgresProvisioningStore.OpenAsync(connectionString));
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
        var info = await ExternalProcess.RunAsync("dotnet", [BuiltPrograms.ProvisioningEndpoint, "info", "--data-dir", instance.DataDirectory, "--json"]);
        Assert.True(info.ExitCode == 0, info.Transcript);
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
        await Proxy.DisposeAsync();
        await Store.DisposeAsync();
        foreach (var instance in _instances)
            Stop(instance);
    }

    private static Instance Launch(string connectionString, int advertisedDevicePort, int advertisedRestPort, int advertisedHubPort)
    {
        var directory = Directory.CreateTempSubdirectory("endpoint-cluster.").FullName;
        var (device, rest, hub) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var output = new System.Text.StringBuilder();
        var process = Process.Start(ExternalProcess.StartInfo("dotnet",
        [
            BuiltPrograms.ProvisioningEndpoint, "serve", "--data-dir", directory, "--store", connectionString, "--listen", "127.0.0.1",
            "--device-port", $"{advertisedDevicePort}", "--device-listen-port", $"{device}", "--device-https-port", "0",
            "--rest-port", $"{advertisedRestPort}", "--rest-listen-port", $"{rest}",
            "--hub", $"hub1=localhost:{advertisedHubPort}", "--hub-listen-port", $"hub1={hub}", "--retry-after", "0", "--throttle-polls", "false",
        ]))!;
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
