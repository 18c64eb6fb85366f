using System.Diagnostics;
using System.Text;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Tests.Support;

/// <summary><c>deviceagent run</c> as its own process, stopped with SIGTERM as systemd does.</summary>
internal sealed class AgentDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentDaemon(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process => _process;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static AgentDaemon Start(string configPath, IReadOnlyDictionary<string, string> environment) =>
        new(Process.Start(ExternalProcess.StartInfo("dotnet", [BuiltPrograms.DeviceAgent, "run", "--config", configPath], environment))!);

    /// <summary>SIGTERM, then the exit code and how long the agent took to stop.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync()
    {
        var watch = Stopwatch.StartNew();
        Signals.Send(_process, Signals.SIGTERM);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(wait.Token);
        return (_process.ExitCode, watch.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
