using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DeviceAgent.TestPeers;

/// <summary>POSIX signals to child processes (SIGTERM as systemd sends it, SIGKILL for crash tests).</summary>
public static partial class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>Sends a signal to a process.</summary>
    /// <exception cref="InvalidOperationException">kill(2) failed.</exception>
    public static void Send(Process process, int signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>kill(2): 0, or -1 with errno set.</summary>
    internal static int Kill(int pid, int signal) => kill(pid, signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
