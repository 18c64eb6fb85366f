using System.Diagnostics;

namespace Deploy.Tests.Support;

/// <summary>
/// An emulated arm64 device: a scratch root (<see cref="ScratchRoot"/>) holding Debian's arm64
/// libc, libssl3 and SoftHSM2 (<c>apt-get download</c> + <c>dpkg -x</c>: installing them
/// multiarch would remove this machine's amd64 SoftHSM2) and the deviceagent arm64 package installed by dpkg; its programs run on arm64
/// instructions as <c>qemu-aarch64-static -L ROOT PROGRAM</c> (binfmt_misc is not needed). Fails,
/// not skips, without qemu-user-static or the arm64 package lists (./build.sh deps sets both up).
/// </summary>
public sealed class Arm64Device : IDisposable
{
    // The arm64 libraries the agent and bringup load, with theirs (apt-cache depends).
    private static readonly string[] s_libraries =
    [
        "libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libssl3", "libsqlite3-0",
        "libsofthsm2", "softhsm2",
    ];

    private readonly string _qemu;

    private Arm64Device(string qemu, ScratchRoot root)
    {
        _qemu = qemu;
        Root = root;
    }

    /// <summary>The device's file system.</summary>
    public ScratchRoot Root { get; }

    /// <summary>The arm64 SoftHSM2 PKCS#11 module, as a path of this machine.</summary>
    public string SoftHsmModule => Root.At("/usr/lib/softhsm/libsofthsm2.so");

    /// <summary>Unpacks the arm64 libraries and installs <paramref name="agent"/> (an arm64 .deb).</summary>
    /// <exception cref="InvalidOperationException">A peer or the arm64 package lists are missing, or dpkg failed.</exception>
    public static async Task<Arm64Device> CreateAsync(DebianPackage agent)
    {
        var qemu = ExternalProcess.Require("qemu-aarch64-static", "qemu-user-static");
        ExternalProcess.Require("apt-get", "apt");
        var root = new ScratchRoot();
        try
        {
            var downloads = root.At("/var/cache/apt/archives");
            Directory.CreateDirectory(downloads);
            var download = await ExternalProcess.RunAsync("apt-get", ["download", .. s_libraries.Select(p => p + ":arm64")],
                timeout: TimeSpan.FromMinutes(5), workingDirectory: downloads);
            if (download.ExitCode != 0)
                throw new InvalidOperationException("apt-get download of the arm64 libraries failed: are the arm64 package lists there? " +
                    "run './build.sh deps' as root (dpkg --add-architecture arm64 && apt-get update)\n" + download.Transcript);
            foreach (var deb in Directory.GetFiles(downloads, "*.deb"))
            {
                var unpack = await ExternalProcess.RunAsync("dpkg", ["-x", deb, root.Path]);
                if (unpack.ExitCode != 0)
                    throw new InvalidOperationException(unpack.Transcript);
            }
            await root.DpkgAsync("--add-architecture", "arm64");
            await root.InstallAsync(agent);
            return new Arm64Device(qemu, root);
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs an arm64 program of the device (a path inside it, e.g. /usr/bin/deviceagent) to completion.
    /// Emulation costs: a provision took ~5 s of CPU under qemu, but 90 s of wall time on a machine
    /// loaded 25-fold, hence the generous default timeout (5 minutes).
    /// </summary>
    public Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        ExternalProcess.RunAsync(_qemu, ["-L", Root.Path, Root.At(program), .. arguments], environment, timeout ?? TimeSpan.FromMinutes(5));

    /// <summary>Starts an arm64 program of the device; the caller owns the process.</summary>
    public ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ExternalProcess.StartInfo(_qemu, ["-L", Root.Path, Root.At(program), .. arguments], environment);

    public void Dispose() => Root.Dispose();
}
