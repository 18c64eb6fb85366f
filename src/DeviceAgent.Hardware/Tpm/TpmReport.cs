using System.Text;

namespace DeviceAgent.Hardware.Tpm;

/// <summary>
/// What <see cref="TpmDiscovery"/> found: the device nodes, the kernel's facts about the TPM, the
/// verdict, and for anything but <see cref="TpmStatus.Ready"/> what to do about it.
/// </summary>
public sealed record TpmReport
{
    /// <summary>The verdict.</summary>
    public required TpmStatus Status { get; init; }

    /// <summary>One line: what was found (or not).</summary>
    public required string Summary { get; init; }

    /// <summary>What to do, or null when ready.</summary>
    public string? Hint { get; init; }

    /// <summary>The resource manager device (/dev/tpmrm0) the agent uses, when it exists.</summary>
    public string? ResourceManagerPath { get; init; }

    /// <summary>The raw device (/dev/tpm0), when it exists; one process at a time, not for the agent.</summary>
    public string? DevicePath { get; init; }

    /// <summary>The kernel's TPM directory (/sys/class/tpm/tpm0), when it exists.</summary>
    public string? SysfsPath { get; init; }

    /// <summary>The TCG major version from sysfs tpm_version_major (Linux 5.6+): 1 or 2.</summary>
    public int? MajorVersion { get; init; }

    /// <summary>The firmware's description of the device (ACPI platforms: device/description).</summary>
    public string? Description { get; init; }

    /// <summary>The device tree's compatible string (device/of_node/compatible), e.g. infineon,slb9670.</summary>
    public string? Compatible { get; init; }

    /// <summary>The manufacturer as sysfs tells it: the vendor of the compatible string, or TPM 1.2's caps.</summary>
    public string? Manufacturer { get; init; }

    /// <summary>The kernel driver bound to the TPM, e.g. tpm_tis_spi.</summary>
    public string? Driver { get; init; }

    /// <summary>True when the agent can use the TPM.</summary>
    public bool IsReady => Status == TpmStatus.Ready;

    /// <summary>A report for people: the verdict, the facts, the hint.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("tpm: ").AppendLine(Summary);
        Fact(text, "resource manager", ResourceManagerPath);
        Fact(text, "device", DevicePath);
        Fact(text, "sysfs", SysfsPath);
        Fact(text, "version", MajorVersion is { } v ? (v == 2 ? "2.0" : v.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);
        Fact(text, "manufacturer", Manufacturer);
        Fact(text, "compatible", Compatible);
        Fact(text, "description", Description);
        Fact(text, "driver", Driver);
        if (Hint is not null)
            text.Append("hint: ").AppendLine(Hint);
        return text.ToString();
    }

    private static void Fact(StringBuilder text, string name, string? value)
    {
        if (value is not null)
            text.Append("  ").Append(name).Append(": ").AppendLine(value);
    }
}
