namespace DeviceAgent.TestPeers;

/// <summary>
/// A small file system of its own (<c>mount -t tmpfs -o size=N</c> on a fresh temp dir) that a
/// test fills to the last byte and frees again: the full disk under a state directory or a
/// database. Needs root (CI runs the tests as root); without it the test fails saying so.
/// Disposing unmounts it and removes the directory.
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    private const string FillerName = ".filler";

    private SmallTmpfs(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, FillerName);

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> bytes.</summary>
    /// <exception cref="InvalidOperationException">mount failed (not root, no CAP_SYS_ADMIN in the container): the transcript and what to do.</exception>
    public static async Task<SmallTmpfs> MountAsync(long bytes)
    {
        var path = Directory.CreateTempSubdirectory("small-tmpfs.").FullName;
        var mount = await ExternalProcess.RunAsync(ExternalProcess.Require("mount", "mount"), ["-t", "tmpfs", "-o", $"size={bytes},mode=0700", "tmpfs", path]);
        if (mount.ExitCode != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException(
                $"cannot mount a {bytes}-byte tmpfs on {path} for the full-disk test: run the tests as root (CI does), " +
                $"or in a container with CAP_SYS_ADMIN\n{mount.Transcript}");
        }
        return new SmallTmpfs(path);
    }

    /// <summary>Fills the file system: a filler file grows until the kernel says ENOSPC. Returns the bytes it took.</summary>
    public long Fill()
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)0x5A);
        long written = 0;
        using var stream = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                stream.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // Full at this chunk's size; smaller writes take the rest, to the last page.
        }
        foreach (var size in new[] { 4096, 512, 1 })
        {
            try
            {
                while (true)
                {
                    stream.Write(chunk, 0, size);
                    written += size;
                }
            }
            catch (IOException)
            {
            }
        }
        return written;
    }

    /// <summary>Frees what <see cref="Fill"/> took.</summary>
    public void Free() => File.Delete(Filler);

    /// <inheritdoc />
    public void Dispose()
    {
        var umount = ExternalProcess.RunAsync("umount", ["-l", Path]).GetAwaiter().GetResult();
        if (umount.ExitCode == 0)
            Directory.Delete(Path, recursive: true);
    }
}
