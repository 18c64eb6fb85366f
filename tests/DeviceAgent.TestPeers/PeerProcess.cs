using System.Diagnostics;
using System.Text;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A peer program that runs until the test is done (a server, a broker): what it prints to stdout
/// and stderr is collected for failure messages; killed with its children on disposal.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PeerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Whether it has ended (a peer that ends on its own has usually failed to start).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts <paramref name="program"/>.</summary>
    /// <exception cref="InvalidOperationException">It could not be started.</exception>
    public static PeerProcess Start(string program, IEnumerable<string> arguments, string? workingDirectory = null) =>
        new(Process.Start(ExternalProcess.StartInfo(program, arguments, workingDirectory: workingDirectory))
            ?? throw new InvalidOperationException($"{program} did not start"));

    /// <summary>Kills it (and its children) if it still runs.</summary>
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
