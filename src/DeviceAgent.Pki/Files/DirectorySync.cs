using System.Runtime.InteropServices;

namespace DeviceAgent.Pki.Files;

/// <summary>
/// fsync(2) of a directory, which .NET does not offer (its file APIs refuse to open a directory):
/// after a rename or a file creation the new directory entry is only durable once the directory
/// itself is synced (POSIX fsync(2)). The one place the agent, the factory CLI and the endpoint
/// sync a directory.
/// </summary>
/// <remarks>
/// The directory is opened with O_RDONLY alone: on Linux open(2) opens a directory read-only
/// without O_DIRECTORY, and O_RDONLY is 0 on every architecture. O_DIRECTORY is not: it is 0x10000
/// on x86-64 and 0x4000 on arm64, where 0x10000 is O_DIRECT, which a directory refuses with
/// EINVAL (the agent's first state save on a Raspberry Pi failed that way). No other flag is
/// passed, so nothing here depends on the architecture; see deploy/README.md, "Native interfaces
/// on arm64". Thread-safe; the descriptor lives only for the call.
/// </remarks>
public static partial class DirectorySync
{
    private const int O_RDONLY = 0; // POSIX open(2); 0 on every Linux architecture

    /// <summary>Flushes the directory's entries to disk.</summary>
    /// <param name="directory">An existing directory.</param>
    /// <exception cref="IOException">open(2) or fsync(2) of the directory failed; the message names
    /// the directory and the errno.</exception>
    public static void Flush(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var fd = NativeMethods.open(directory, O_RDONLY);
        if (fd < 0)
            throw new IOException($"cannot open directory '{directory}' to sync it: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (NativeMethods.fsync(fd) != 0)
                throw new IOException($"fsync of directory '{directory}' failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial int open(string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial int close(int fd);
    }
}
