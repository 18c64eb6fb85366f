using System.Runtime.InteropServices;

namespace DeviceAgent.TestPeers;

/// <summary>How a process ended, as waitpid(2) tells it: an exit code, or the signal that killed it.</summary>
/// <param name="ExitCode">The exit status when it exited; null when a signal killed it.</param>
/// <param name="Signal">The signal that killed it; null when it exited.</param>
public sealed record ProcessEnd(int? ExitCode, int? Signal)
{
    /// <inheritdoc />
    public override string ToString() => ExitCode is { } code ? $"exit {code}" : $"killed by signal {Signal}";
}

/// <summary>
/// A child process started with posix_spawn and reaped with waitpid, outside .NET's
/// <see cref="System.Diagnostics.Process"/>, which reports death by signal N as exit code 128+N
/// and so cannot tell systemd's clean "killed by SIGTERM" from a program's exit(143). Its stdout
/// and stderr go to a file. Killed with SIGKILL on disposal if still running.
/// </summary>
public sealed partial class SpawnedProcess : IDisposable
{
    private const int WNOHANG = 1;
    private readonly string _outputPath;
    private ProcessEnd? _end;

    private SpawnedProcess(int pid, string outputPath)
    {
        Id = pid;
        _outputPath = outputPath;
    }

    /// <summary>The process id.</summary>
    public int Id { get; }

    /// <summary>Everything it wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            using var stream = new FileStream(_outputPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>Starts <paramref name="program"/> (searched on PATH) with our environment plus <paramref name="environment"/>.</summary>
    /// <exception cref="InvalidOperationException">posix_spawn failed.</exception>
    public static SpawnedProcess Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        File.WriteAllText(outputPath, "");
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            variables[name] = value;
        variables["SPAWNED_PROCESS_OUTPUT"] = outputPath;
        // sh replaces itself with the program (exec), so the status waitpid reports is the program's.
        string[] argv = ["/bin/sh", "-c", "exec \"$0\" \"$@\" >>\"$SPAWNED_PROCESS_OUTPUT\" 2>&1", program, .. arguments];
        string[] envp = [.. variables.Select(v => $"{v.Key}={v.Value}")];
        var nativeArgv = ToNative(argv);
        var nativeEnvp = ToNative(envp);
        try
        {
            var error = posix_spawn(out var pid, nativeArgv[0], IntPtr.Zero, IntPtr.Zero, nativeArgv, nativeEnvp);
            return error == 0 ? new SpawnedProcess(pid, outputPath) : throw new InvalidOperationException($"posix_spawn {program} failed: errno {error}");
        }
        finally
        {
            Free(nativeArgv);
            Free(nativeEnvp);
        }
    }

    /// <summary>Sends a signal (see <see cref="Signals"/>).</summary>
    /// <exception cref="InvalidOperationException">kill(2) failed.</exception>
    public void Send(int signal)
    {
        if (Signals.Kill(Id, signal) != 0)
            throw new InvalidOperationException($"kill({Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>How it ended, if it has (reaps it).</summary>
    public ProcessEnd? TryGetEnd()
    {
        if (_end is not null)
            return _end;
        var reaped = waitpid(Id, out var status, WNOHANG);
        if (reaped != Id)
            return null;
        // <sys/wait.h>: WIFEXITED is (status & 0x7f) == 0, WEXITSTATUS (status >> 8) & 0xff, WTERMSIG status & 0x7f.
        _end = (status & 0x7f) == 0 ? new ProcessEnd((status >> 8) & 0xff, null) : new ProcessEnd(null, status & 0x7f);
        return _end;
    }

    /// <summary>Waits until it ended, or null after <paramref name="timeout"/>.</summary>
    public async Task<ProcessEnd?> WaitAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (TryGetEnd() is null && DateTime.UtcNow < deadline)
            await Task.Delay(5);
        return TryGetEnd();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (TryGetEnd() is not null)
            return;
        _ = Signals.Kill(Id, Signals.SIGKILL);
        _ = waitpid(Id, out _, 0);
    }

    private static nint[] ToNative(string[] strings)
    {
        var native = new nint[strings.Length + 1];
        for (var i = 0; i < strings.Length; i++)
            native[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
        return native;
    }

    private static void Free(nint[] native)
    {
        foreach (var pointer in native)
            Marshal.FreeCoTaskMem(pointer);
    }

    [LibraryImport("libc")]
    private static partial int posix_spawn(out int pid, nint path, nint fileActions, nint attributes, nint[] argv, nint[] envp);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);
}
