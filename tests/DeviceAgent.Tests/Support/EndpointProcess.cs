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
    private readonly StringBuilder _output;
    private readonly string[] _arguments;
    private readonly bool _ownsDirectory;
    private Process _process;

    private EndpointProcess(Process process, string[] arguments, StringBuilder output, string dataDirectory, bool ownsDirectory,
        SqliteProvisioningStore store, JsonElement info, int deviceHttpsPort, int restPort, int registryPort)
    {
        RestPort = restPort;
        RegistryPort = registryPort;
        _process = process;
        _arguments = arguments;
        _output = output;
        _ownsDirectory = ownsDirectory;
        DataDirectory = dataDirectory;
        Store = store;
        IdScope = info.GetProperty("idScope").GetString()!;
        DeviceEndpoint = info.GetProperty("deviceEndpoint").GetString()!;
        ServerCaPath = info.GetProperty("serverCaCertificate").GetString()!;
        HubPort = info.GetProperty("hubs")[0].GetProperty("port").GetInt32();
        DevicePort = int.Parse(DeviceEndpoint[(DeviceEndpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
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

    /// <summary>The REST API's HTTPS port.</summary>
    public int RestPort { get; }

    /// <summary>hub1's identity registry HTTPS port (IoT Hub service clients).</summary>
    public int RegistryPort { get; }

    /// <summary>The DPS MQTT/TLS port.</summary>
    public int DevicePort { get; }

    public string ServerCaPath { get; }

    public int HubPort { get; }

    /// <summary>The endpoint's process id (for RSS and handle counts).</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts it in a fresh temp dir, or in <paramref name="dataDirectory"/> (made if missing; left in place on disposal, emptied).</summary>
    public static async Task<EndpointProcess> StartAsync(string? dataDirectory = null)
    {
        var owns = dataDirectory is null;
        var directory = dataDirectory ?? Directory.CreateTempSubdirectory("endpoint-process.").FullName;
        Directory.CreateDirectory(directory);
        var (device, deviceHttps, rest, hub, registry) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        string[] arguments = [BuiltPrograms.ProvisioningEndpoint, "serve", "--data-dir", directory, "--device-port", $"{device}", "--device-https-port", $"{deviceHttps}",
            "--rest-port", $"{rest}", "--hub", $"hub1=localhost:{hub}:{registry}", "--retry-after", "0"];
        var output = new StringBuilder();
        var process = await LaunchAsync(arguments, hub, output);
        try
        {
            var info = await ExternalProcess.RunAsync("dotnet", [BuiltPrograms.ProvisioningEndpoint, "info", "--data-dir", directory, "--json"]);
            if (info.ExitCode != 0)
                throw new InvalidOperationException(info.Transcript);
            var store = await SqliteProvisioningStore.OpenAsync(Path.Combine(directory, "endpoint.db"));
            return new EndpointProcess(process, arguments, output, directory, owns, store, JsonDocument.Parse(info.StandardOutput).RootElement.Clone(), deviceHttps, rest, registry);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>SIGKILL, as a power cut or the OOM killer would: no shutdown of any kind.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
            return;
        Signals.Send(_process, Signals.SIGKILL);
        await _process.WaitForExitAsync();
    }

    /// <summary>Starts the endpoint again after <see cref="KillAsync"/>: the same data directory and ports.</summary>
    public async Task StartAgainAsync()
    {
        await KillAsync();
        _process.Dispose();
        lock (_output)
            _output.AppendLine("--- started again");
        _process = await LaunchAsync(_arguments, HubPort, _output);
    }

    private static async Task<Process> LaunchAsync(string[] arguments, int hubPort, StringBuilder output)
    {
        var process = Process.Start(ExternalProcess.StartInfo("dotnet", arguments))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await FreePort.WaitUntilListeningAsync(hubPort, TimeSpan.FromSeconds(30), () => { lock (output) return output.ToString(); });
            return process;
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
        if (_ownsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
            return;
        }
        foreach (var entry in new DirectoryInfo(DataDirectory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory)
                directory.Delete(recursive: true);
            else
                entry.Delete();
        }
    }
}
