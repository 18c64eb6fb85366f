using System.Globalization;
using System.Text.RegularExpressions;

namespace DeviceAgent.Hardware.Tpm;

/// <summary>
/// Board support: finds the TPM the way the kernel shows it (/dev/tpmrmN, /dev/tpmN,
/// /sys/class/tpm/tpmN; Documentation/ABI/stable/sysfs-class-tpm), checks that the current user
/// may open the resource manager device, and says what to do when something is missing. Every
/// path is taken under a root directory, so tests run it against a fake tree.
/// </summary>
public sealed partial class TpmDiscovery
{
    /// <summary>The group that owns /dev/tpmrm* on Debian and Raspberry Pi OS (package tpm-udev).</summary>
    public const string TssGroup = "tss";

    private const string EnableOverlayHint =
        "on a Raspberry Pi with a TPM HAT (Infineon SLB9670/9672), enable the SPI overlay: add 'dtparam=spi=on' and " +
        "'dtoverlay=tpm-slb9670' to /boot/firmware/config.txt (hardware/raspberry-pi/enable-tpm.sh does this) and reboot; " +
        "then 'dmesg | grep -i tpm' shows the driver binding";

    private readonly string _root;
    private readonly Func<string, DeviceAccess> _probe;
    private readonly string _user;

    /// <summary>Creates a discovery over a root directory.</summary>
    /// <param name="root">The file system root: "/" on a device; a fake tree in tests.</param>
    /// <param name="probe">Checks whether a node opens read-write; <see cref="DeviceAccessProbe.Open"/> by default.</param>
    /// <param name="user">The user named in hints; the current user by default.</param>
    public TpmDiscovery(string root = "/", Func<string, DeviceAccess>? probe = null, string? user = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = root;
        _probe = probe ?? DeviceAccessProbe.Open;
        _user = user ?? Environment.UserName;
    }

    /// <summary>Looks for the TPM and judges whether the agent can use it. Never throws for a missing TPM.</summary>
    public TpmReport Inspect()
    {
        var index = FindIndex();
        if (index is null)
            return new TpmReport { Status = TpmStatus.NotFound, Summary = "no TPM found: no /dev/tpmrm0 and nothing in /sys/class/tpm", Hint = EnableOverlayHint };

        var sysfs = Existing(Under("sys", "class", "tpm", $"tpm{index}"), directory: true);
        var device = Existing(Under("dev", $"tpm{index}"), directory: false);
        var resourceManager = Existing(Under("dev", $"tpmrm{index}"), directory: false);
        var version = sysfs is null ? null : ReadInt(Path.Combine(sysfs, "tpm_version_major"));
        var compatible = sysfs is null ? null : ReadCompatible(Path.Combine(sysfs, "device", "of_node", "compatible"));
        var facts = new TpmReport
        {
            Status = TpmStatus.NotFound,
            Summary = "",
            SysfsPath = Shown(sysfs),
            DevicePath = Shown(device),
            ResourceManagerPath = Shown(resourceManager),
            MajorVersion = version,
            Description = sysfs is null ? null : ReadText(Path.Combine(sysfs, "device", "description")),
            Compatible = compatible,
            Manufacturer = Manufacturer(sysfs, compatible),
            Driver = sysfs is null ? null : LinkName(Path.Combine(sysfs, "device", "driver")),
        };

        if (version == 1)
            return facts with
            {
                Status = TpmStatus.UnsupportedVersion,
                Summary = $"the TPM is version 1.2 (tpm_version_major = 1 in /sys/class/tpm/tpm{index})",
                Hint = "the agent needs a TPM 2.0 (e.g. Infineon SLB9670/9672 with TPM 2.0 firmware); replace the module",
            };
        if (resourceManager is null)
            return facts with
            {
                Status = TpmStatus.NoResourceManager,
                Summary = device is null
                    ? $"the kernel knows a TPM (/sys/class/tpm/tpm{index}) but /dev has neither tpm{index} nor tpmrm{index}"
                    : $"/dev/tpm{index} exists but /dev/tpmrm{index}, the kernel's resource manager device, does not",
                Hint = device is null
                    ? $"in a container pass the device in (e.g. --device /dev/tpmrm{index}); on a device check that udev is running ('udevadm trigger')"
                    : "the kernel creates /dev/tpmrmN for a TPM 2.0 (Linux 4.12+); check 'dmesg | grep -i tpm' for a driver error " +
                      "and that the module is a TPM 2.0",
            };

        var what = Describe(facts, index.Value);
        return _probe(resourceManager) switch
        {
            DeviceAccess.Granted => facts with { Status = TpmStatus.Ready, Summary = $"{what}, accessible to {_user}" },
            DeviceAccess.PermissionDenied => facts with
            {
                Status = TpmStatus.PermissionDenied,
                Summary = $"{what}, but {_user} may not open /dev/tpmrm{index} (permission denied)",
                Hint = PermissionHint(index.Value),
            },
            DeviceAccess.Missing => facts with
            {
                Status = TpmStatus.NoResourceManager,
                Summary = $"/dev/tpmrm{index} disappeared while it was checked",
                Hint = "check 'dmesg | grep -i tpm' for a driver error (a loose HAT, an SPI conflict with another overlay)",
            },
            _ => facts with
            {
                Status = TpmStatus.Unreachable,
                Summary = $"{what}, but opening /dev/tpmrm{index} failed",
                Hint = "check 'dmesg | grep -i tpm' for a driver error and that 'tpm2_getcap properties-fixed' answers",
            },
        };
    }

    private string PermissionHint(int index)
    {
        var tss = GroupMembership.GroupId(_root, TssGroup);
        if (tss is null)
            return $"the group {TssGroup} does not exist: install tpm-udev (sudo apt-get install tpm-udev), which creates it and " +
                $"the udev rule that gives it /dev/tpmrm{index}, then add {_user} to it";
        var groups = GroupMembership.ProcessGroups(_root);
        if (groups is not null && !groups.Contains(tss.Value))
            return $"add the agent user to group {TssGroup}: sudo usermod -aG {TssGroup} {_user} " +
                "(hardware/raspberry-pi/create-agent-user.sh does this), then restart the agent: a process gets its groups when it starts";
        return $"{_user} is in group {TssGroup} but /dev/tpmrm{index} is not open to it: 'ls -l /dev/tpmrm{index}' must show " +
            $"group {TssGroup} and crw-rw----; the udev rule of tpm-udev sets this ('sudo udevadm trigger' applies it again)";
    }

    private static string Describe(TpmReport facts, int index)
    {
        var version = facts.MajorVersion == 2 ? "TPM 2.0" : "TPM (version not reported by the kernel)";
        var details = new[] { facts.Compatible ?? facts.Description, facts.Driver is null ? null : "driver " + facts.Driver }
            .Where(d => d is not null)
            .ToArray();
        return $"{version} at /dev/tpmrm{index}" + (details.Length == 0 ? "" : $" ({string.Join(", ", details)})");
    }

    // The lowest N for which the kernel shows tpmN in sysfs or /dev.
    private int? FindIndex()
    {
        var indices = new SortedSet<int>();
        Collect(Under("sys", "class", "tpm"), "tpm*", indices);
        Collect(Under("dev"), "tpm*", indices);
        return indices.Count == 0 ? null : indices.Min;
    }

    private static void Collect(string directory, string pattern, SortedSet<int> indices)
    {
        if (!Directory.Exists(directory))
            return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, pattern))
        {
            var match = TpmName().Match(Path.GetFileName(entry));
            if (match.Success)
                indices.Add(int.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture));
        }
    }

    private static string? Manufacturer(string? sysfs, string? compatible)
    {
        if (compatible is not null && compatible.Contains(',', StringComparison.Ordinal))
            return compatible[..compatible.IndexOf(',', StringComparison.Ordinal)];
        // TPM 1.2 drivers publish device/caps with a "Manufacturer: 0x..." line.
        var caps = sysfs is null ? null : ReadText(Path.Combine(sysfs, "device", "caps"));
        var line = caps?.Split('\n').FirstOrDefault(l => l.StartsWith("Manufacturer:", StringComparison.Ordinal));
        return line?["Manufacturer:".Length..].Trim();
    }

    private string Under(params string[] parts) => Path.Combine([_root, .. parts]);

    // Paths as the device sees them (/dev/tpmrm0), not under the fake root.
    private string? Shown(string? path) =>
        path is null ? null : "/" + Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string? Existing(string path, bool directory) =>
        (directory ? Directory.Exists(path) : File.Exists(path)) ? path : null;

    private static string? ReadText(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim('\0', '\n', ' ');
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? ReadInt(string path) =>
        int.TryParse(ReadText(path), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    // A device tree property is a list of NUL-terminated strings; the first is the most specific.
    private static string? ReadCompatible(string path) => ReadText(path)?.Split('\0')[0];

    private static string? LinkName(string path)
    {
        try
        {
            var target = new FileInfo(path).LinkTarget ?? new DirectoryInfo(path).LinkTarget;
            return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex("^tpm(?:rm)?([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex TpmName();
}
