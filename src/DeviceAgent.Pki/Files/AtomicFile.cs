using System.Text;

namespace DeviceAgent.Pki.Files;

/// <summary>
/// Writes files so that a crash or a failure leaves either the old file or the whole new one,
/// never a part: a temporary file in the same directory, fsync, rename over the target, fsync of
/// the directory (so the rename itself survives power loss). Appends are whole lines, each batch
/// fsynced before the call returns.
/// </summary>
public static class AtomicFile
{
    /// <summary>Mode 0644: certificates and other public files.</summary>
    public const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Mode 0600: keys, even encrypted ones.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing it unless <paramref name="overwrite"/> is false.</summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static void Write(string path, string content, UnixFileMode mode = Public, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            if (!overwrite && File.Exists(full))
                throw new IOException($"'{full}' already exists");
            File.Move(temp, full, overwrite);
            DirectorySync.Flush(directory);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Appends <paramref name="lines"/> (each without its newline) and fsyncs before returning.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void AppendLines(string path, IEnumerable<string> lines, UnixFileMode mode = Public)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
            text.Append(line).Append('\n');
        if (text.Length == 0)
            return;
        var created = !File.Exists(path);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, UnixCreateMode = mode };
        using (var stream = new FileStream(path, options))
        {
            // A crash in the middle of an earlier append can leave a torn last line: end it first,
            // so that the torn line stays alone and the new ones read whole.
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                if (stream.ReadByte() != '\n')
                    text.Insert(0, '\n');
            }
            stream.Seek(0, SeekOrigin.End);
            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }
        if (created)
            DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
