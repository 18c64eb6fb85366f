using System.Text.RegularExpressions;

namespace DeviceAgent.Hardware.Gpio;

/// <summary>
/// Finds the configured chip: a path (<c>/dev/gpiochip4</c>), a device name (<c>gpiochip0</c>)
/// or a label (<c>pinctrl-rp1</c> on a Raspberry Pi 5, <c>pinctrl-bcm2711</c> on a Pi 4), which
/// stays right when the kernel numbers its chips differently.
/// </summary>
public static partial class GpioChipLocator
{
    /// <summary>Opens the chip that <paramref name="chip"/> names.</summary>
    /// <param name="chip">A path, a gpiochipN name or a chip label.</param>
    /// <param name="deviceDirectory">Where the chips' device nodes live (tests pass a temporary directory).</param>
    /// <param name="open">Opens one device node; <see cref="CharacterDeviceGpioChip.Open"/> by default.</param>
    /// <exception cref="GpioException">No such chip, or it cannot be opened; the message says what to check.</exception>
    public static IGpioChip Open(string chip, string deviceDirectory = "/dev", Func<string, IGpioChip>? open = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chip);
        open ??= CharacterDeviceGpioChip.Open;
        if (chip.Contains('/', StringComparison.Ordinal))
            return open(chip);
        if (DeviceName().IsMatch(chip))
            return open(Path.Combine(deviceDirectory, chip));
        return OpenByLabel(chip, deviceDirectory, open);
    }

    /// <summary>The chip device nodes in a directory, in the kernel's numbering order.</summary>
    public static IReadOnlyList<string> DeviceNodes(string deviceDirectory = "/dev") =>
        !Directory.Exists(deviceDirectory) ? [] :
        Directory.EnumerateFileSystemEntries(deviceDirectory, "gpiochip*")
            .Where(path => DeviceName().IsMatch(Path.GetFileName(path)))
            .OrderBy(path => int.Parse(Path.GetFileName(path)["gpiochip".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();

    private static IGpioChip OpenByLabel(string label, string deviceDirectory, Func<string, IGpioChip> open)
    {
        var nodes = DeviceNodes(deviceDirectory);
        if (nodes.Count == 0)
            throw new GpioException($"no GPIO chips in {deviceDirectory}: this machine has no GPIO controller or its driver is not loaded " +
                $"(looking for the chip labelled '{label}')");
        var seen = new List<string>();
        GpioException? firstFailure = null;
        foreach (var node in nodes)
        {
            IGpioChip candidate;
            try
            {
                candidate = open(node);
            }
            catch (GpioException e)
            {
                firstFailure ??= e;
                continue;
            }
            if (string.Equals(candidate.Label, label, StringComparison.Ordinal))
                return candidate;
            seen.Add($"{Path.GetFileName(node)} '{candidate.Label}'");
            candidate.Dispose();
        }
        // Every chip failed to open (typically: permission denied): that is the problem to report.
        if (seen.Count == 0 && firstFailure is not null)
            throw firstFailure;
        throw GpioException.NoChipWithLabel(label, deviceDirectory, seen);
    }

    [GeneratedRegex("^gpiochip[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DeviceName();
}
