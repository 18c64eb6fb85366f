using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Storage;

namespace DeviceAgent.Tests.Support;

/// <summary>
/// <c>provisioning-endpoint serve</c> as its own process on free loopback ports in a fresh data
/// directory; its SQLite store is opened beside it (WAL allows several processes) to arrange
/// enrollments. Stopped with SIGTERM and removed on disposal.
/// </summary>
internal sealed class EndpointProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private EndpointProcess(Process process, StringBuilder output, string dataDirectory, SqliteProvisioningStore store, JsonElement info, int deviceHttpsPort)
    {
        _process = process;
        _output = output;
        DataDirectory = dataDirectory;
        Store = store;
        IdScope = info.GetProperty("idScope").GetString()!;
        DeviceEndpoint = info.GetProperty("deviceEndpoint").GetString()!;
        ServerCaPath = info.GetProperty("serverCaCertificate").GetString()!;
        HubPort = info.GetProperty("hubs")[0].GetProperty("port").GetInt32();
        DeviceHttpsEndpoint = $"{DeviceEndpoint[..DeviceEndpoint.LastIndexOf(':')]}:{deviceHttpsPort}";
        ConnectionString = info.GetProperty("connectionString").GetString()!;
    }

    /// <summary>host:port of DPS's HTTPS device API (TPM attestation).</summary>
    public string DeviceHttpsEndpoint { get; }

    /// <summary>The owner connection string of the service API (for the Node service SDK).</summary>
    public string ConnectionString { get; }

    public string DataDirectory { get; }

    public IProvisioningStore Store { get; }

    public string IdScope { get; }

    public string DeviceEndpoint { get; }

    public string ServerCaPath { get; }

    public int HubPort { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static async Task<EndpointProcess> StartAsync()
    {
        var dll = BuiltPrograms.ProvisioningEndpoint;
        var directory = Directory.CreateTempSubdirectory("endpoint-process.").FullName;
        var (device, deviceHttps, rest, hub) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        var output = new StringBuilder();
        var process = Process.Start(ExternalProcess.StartInfo("dotnet",
            [dll, "serve", "--data-dir", directory, "--device-port", $"{device}", "--device-https-port", $"{deviceHttps}", "--rest-port", $"{rest}", "--hub", $"hub1=localhost:{hub}", "--retry-after", "0"]))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await FreePort.WaitUntilListeningAsync(hub, TimeSpan.FromSeconds(30), () => output.ToString());
            var info = await ExternalProcess.RunAsync("dotnet", [dll, "info", "--data-dir", directory, "--json"]);
            if (info.ExitCode != 0)
                throw new InvalidOperationException(info.Transcript);
            var store = await SqliteProvisioningStore.OpenAsync(Path.Combine(directory, "endpoint.db"));
            return new EndpointProcess(process, output, directory, store, JsonDocument.Parse(info.StandardOutput).RootElement.Clone(), deviceHttps);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Send(_process, Signals.SIGTERM);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
