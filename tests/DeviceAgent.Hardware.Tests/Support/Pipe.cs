using System.Runtime.InteropServices;

namespace DeviceAgent.Hardware.Tests.Support;

/// <summary>
/// A kernel pipe standing in for a line request's file descriptor: the test writes
/// struct gpio_v2_line_event records into one end, the code under test polls and reads the other,
/// exactly as it would a GPIO line (no GPIO hardware or gpio-sim on this machine).
/// </summary>
public sealed unsafe partial class Pipe : IDisposable
{
    private int _writeEnd;

    public Pipe()
    {
        var fds = stackalloc int[2];
        if (pipe2(fds, 0x80000 /* O_CLOEXEC */) != 0)
            throw new InvalidOperationException($"pipe2 failed: errno {Marshal.GetLastPInvokeError()}");
        ReadEnd = fds[0];
        _writeEnd = fds[1];
    }

    /// <summary>The end to hand to the code under test (it takes ownership).</summary>
    public int ReadEnd { get; }

    /// <summary>Writes raw bytes into the pipe.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            if (write(_writeEnd, p, (nuint)bytes.Length) != bytes.Length)
                throw new InvalidOperationException($"write failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Closes the write end: the reader sees POLLHUP.</summary>
    public void CloseWriteEnd()
    {
        if (_writeEnd >= 0)
            _ = close(_writeEnd);
        _writeEnd = -1;
    }

    public void Dispose() => CloseWriteEnd();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
