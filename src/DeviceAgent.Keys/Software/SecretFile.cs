namespace DeviceAgent.Keys.Software;

/// <summary>Writes files that hold secrets: created with mode 0600, never replaced, never partial.</summary>
internal static class SecretFile
{
    /// <summary>Writes a new file atomically (temporary file, fsync, rename); fails if it exists.</summary>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    public static void WriteNew(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            if (File.Exists(path))
                throw new IOException($"'{path}' already exists");
            File.Move(temp, path, overwrite: false);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
