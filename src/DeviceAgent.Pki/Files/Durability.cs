using System.Runtime.InteropServices;

namespace DeviceAgent.Pki.Files;

/// <summary>
/// fsync of a directory, which .NET does not offer: after a rename or a file creation the
/// directory entry is only durable once the directory itself is synced (POSIX fsync(2)).
/// </summary>
internal static partial class Durability
{
    private const int ReadOnly = 0; // O_RDONLY
    private const int DirectoryOnly = 0x10000; // O_DIRECTORY on Linux (x86-64 and arm64)

    /// <summary>Syncs the directory; a failure to sync is reported as <see cref="IOException"/>.</summary>
    /// <exception cref="IOException">open(2) or fsync(2) failed.</exception>
    public static void SyncDirectory(string directory)
    {
        var fd = NativeMethods.open(directory, ReadOnly | DirectoryOnly);
        if (fd < 0)
            throw new IOException($"cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (NativeMethods.fsync(fd) != 0)
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
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
