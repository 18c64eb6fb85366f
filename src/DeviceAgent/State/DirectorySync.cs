using System.Runtime.InteropServices;

namespace DeviceAgent.State;

/// <summary>fsync of a directory, so that a rename in it survives a power cut (POSIX has no other way).</summary>
internal static partial class DirectorySync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;
    private const int O_CLOEXEC = 0x80000;

    /// <summary>Flushes the directory's entries to disk.</summary>
    /// <exception cref="IOException">The directory cannot be opened or synced.</exception>
    public static void Flush(string directory)
    {
        var fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"cannot open directory '{directory}' to sync it: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (fsync(fd) != 0)
                throw new IOException($"fsync of directory '{directory}' failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
