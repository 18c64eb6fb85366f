using System.Globalization;

namespace Deploy.Tests.Support;

/// <summary>
/// An empty system root in a temp directory that dpkg installs packages into, so that nothing of
/// this machine changes. dpkg runs as
/// <c>dpkg --root DIR --force-script-chrootless --force-depends</c>:
/// <list type="bullet">
/// <item><c>--force-script-chrootless</c>: the root has no /bin/sh to chroot into, so the maintainer
/// scripts run on this machine with <c>DPKG_ROOT=DIR</c>, which they honour (systemd-sysusers
/// --root, every path under $DPKG_ROOT, systemd left alone), as in mmdebstrap's chrootless mode;</item>
/// <item><c>--force-depends</c>: the root has none of the dependencies (systemd, tpm2-pkcs11, ...).</item>
/// </list>
/// Needs root (dpkg gives files to root and to the service users). Removed with everything in it on dispose.
/// </summary>
public sealed class ScratchRoot : IDisposable
{
    /// <exception cref="InvalidOperationException">Not root, or dpkg, systemd-sysusers or deb-systemd-helper is missing.</exception>
    public ScratchRoot()
    {
        if (!Environment.IsPrivilegedProcess)
            throw new InvalidOperationException("installing packages into a scratch root needs root (dpkg sets owners); run the tests as root, as ./build.sh test does in CI");
        ExternalProcess.Require("dpkg", "dpkg");
        ExternalProcess.Require("systemd-sysusers", "systemd");
        ExternalProcess.Require("deb-systemd-helper", "init-system-helpers");
        Path = Directory.CreateTempSubdirectory("deviceagent-scratch-root.").FullName;
        Directory.CreateDirectory(At("/var/lib/dpkg/info"));
        Directory.CreateDirectory(At("/var/lib/dpkg/updates"));
        File.WriteAllText(At("/var/lib/dpkg/status"), "");
    }

    /// <summary>The root directory.</summary>
    public string Path { get; }

    /// <summary>An absolute path of the installed system, inside the root.</summary>
    public string At(string path) => System.IO.Path.Combine(Path, path.TrimStart('/'));

    /// <summary>dpkg -i.</summary>
    public Task InstallAsync(params DebianPackage[] packages) => DpkgAsync(["--install", .. packages.Select(p => p.FilePath)]);

    /// <summary>dpkg -r.</summary>
    public Task RemoveAsync(string package) => DpkgAsync("--remove", package);

    /// <summary>dpkg -P.</summary>
    public Task PurgeAsync(string package) => DpkgAsync("--purge", package);

    /// <summary>Runs dpkg on the root; returns its transcript.</summary>
    /// <exception cref="InvalidOperationException">dpkg failed.</exception>
    public async Task<string> DpkgAsync(params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync("dpkg", [$"--root={Path}", "--force-script-chrootless", "--force-depends", .. arguments], timeout: TimeSpan.FromMinutes(2));
        return result.ExitCode == 0 ? result.Transcript : throw new InvalidOperationException($"dpkg {string.Join(' ', arguments)} failed\n{result.Transcript}");
    }

    /// <summary>A line of the root's /etc/passwd or /etc/group, split at ':', or null.</summary>
    public string[]? Entry(string database, string name)
    {
        var file = At($"/etc/{database}");
        return File.Exists(file)
            ? File.ReadLines(file).Select(l => l.Split(':')).FirstOrDefault(f => f[0] == name)
            : null;
    }

    /// <summary>The id of a user or group of the root.</summary>
    /// <exception cref="InvalidOperationException">The root has no such user or group.</exception>
    public int Id(string database, string name) =>
        Entry(database, name) is { } fields ? int.Parse(fields[2], CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{name} is not in the scratch root's /etc/{database}");

    /// <summary>"MODE UID GID" of a path in the root, e.g. "750 0 997".</summary>
    public async Task<string> StatAsync(string path)
    {
        var result = await ExternalProcess.RunAsync("stat", ["-c", "%a %u %g", At(path)]);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : throw new InvalidOperationException(result.Transcript);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
