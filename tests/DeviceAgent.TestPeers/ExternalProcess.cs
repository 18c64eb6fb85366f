using System.Diagnostics;
using System.Text;

namespace DeviceAgent.TestPeers;

/// <summary>The outcome of a finished process.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">Everything it wrote to stdout.</param>
/// <param name="StandardError">Everything it wrote to stderr.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>stdout and stderr, for assertion messages.</summary>
    public string Transcript => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>Runs real programs (peers, our CLIs) with a timeout.</summary>
public static class ExternalProcess
{
    /// <summary>
    /// Fails loudly when a peer program is missing: a test that needs a peer never skips.
    /// </summary>
    /// <exception cref="InvalidOperationException">The program is not on PATH.</exception>
    public static string Require(string program, string debianPackage)
    {
        var found = Which(program);
        return found ?? throw new InvalidOperationException(
            $"the test peer '{program}' is not installed; run './build.sh deps' as root, or: sudo apt-get install -y {debianPackage}");
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? Which(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
            return File.Exists(program) ? program : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Runs a program to completion.</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/> (it is killed).</exception>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? standardInput = null,
        string? workingDirectory = null)
    {
        using var process = new Process { StartInfo = StartInfo(program, arguments, environment, workingDirectory) };
        process.StartInfo.RedirectStandardInput = standardInput is not null;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{program} {string.Join(' ', arguments)}' did not finish in {timeout ?? TimeSpan.FromSeconds(60)}\n{stderr}");
        }
        process.WaitForExit(); // drain the asynchronous readers
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A start-info with redirected output and the given environment on top of ours.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
                info.Environment[name] = value;
        }
        return info;
    }
}
