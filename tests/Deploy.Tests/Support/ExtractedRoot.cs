namespace Deploy.Tests.Support;

/// <summary>
/// The packages' files unpacked (dpkg-deb -x, no scripts) into a temp directory beside copies of
/// this machine's systemd targets and slices, so that <c>systemd-analyze --root</c> judges the units
/// as a system with them installed would (their programs exist, their dependencies resolve).
/// Removed on dispose.
/// </summary>
public sealed class ExtractedRoot : IDisposable
{
    private ExtractedRoot(string path) => Path = path;

    public string Path { get; }

    public string UnitPath(string unit) => System.IO.Path.Combine(Path, "usr/lib/systemd/system", unit);

    /// <exception cref="InvalidOperationException">dpkg-deb failed or this machine has no systemd units.</exception>
    public static async Task<ExtractedRoot> CreateAsync(IEnumerable<DebianPackage> packages)
    {
        var root = new ExtractedRoot(Directory.CreateTempSubdirectory("deviceagent-units.").FullName);
        try
        {
            foreach (var package in packages)
            {
                var result = await ExternalProcess.RunAsync("dpkg-deb", ["-x", package.FilePath, root.Path]);
                if (result.ExitCode != 0)
                    throw new InvalidOperationException(result.Transcript);
            }
            var system = new[] { "/usr/lib/systemd/system", "/lib/systemd/system" }.FirstOrDefault(d => File.Exists(System.IO.Path.Combine(d, "sysinit.target")))
                ?? throw new InvalidOperationException("this machine has no systemd units (sysinit.target); sudo apt-get install -y systemd");
            foreach (var unit in Directory.EnumerateFiles(system).Where(f => f.EndsWith(".target", StringComparison.Ordinal) || f.EndsWith(".slice", StringComparison.Ordinal)))
                File.Copy(unit, root.UnitPath(System.IO.Path.GetFileName(unit)), overwrite: false);
            return root;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
