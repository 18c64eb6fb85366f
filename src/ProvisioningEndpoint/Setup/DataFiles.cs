namespace ProvisioningEndpoint.Setup;

/// <summary>Files of the data directory: written whole (temp file, fsync, rename) and, for secrets, mode 0600.</summary>
internal static class DataFiles
{
    public static void WriteAtomically(string path, string content, bool secret) =>
        WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(content), secret);

    public static void WriteAtomically(string path, byte[] content, bool secret)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (secret)
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
