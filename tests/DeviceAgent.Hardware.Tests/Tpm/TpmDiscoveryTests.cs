using DeviceAgent.Hardware.Tpm;

namespace DeviceAgent.Hardware.Tests.Tpm;

/// <summary>TPM discovery against fake /dev, /sys, /etc and /proc trees laid out as the kernel and Debian lay them out.</summary>
public sealed class TpmDiscoveryTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("deviceagent-root-");
    private readonly List<string> _probed = [];

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void No_TPM_at_all_points_to_the_SPI_overlay()
    {
        var report = Discover(DeviceAccess.Granted);
        Assert.Equal(TpmStatus.NotFound, report.Status);
        Assert.False(report.IsReady);
        Assert.Contains("dtoverlay=tpm-slb9670", report.Hint, StringComparison.Ordinal);
        Assert.Contains("/boot/firmware/config.txt", report.Hint, StringComparison.Ordinal);
        Assert.Contains("reboot", report.Hint, StringComparison.Ordinal);
        Assert.Empty(_probed);
    }

    [Fact]
    public void A_Raspberry_Pi_with_an_SLB9670_is_ready_with_its_facts()
    {
        RaspberryPiTpm();
        var report = Discover(DeviceAccess.Granted);

        Assert.Equal(TpmStatus.Ready, report.Status);
        Assert.Null(report.Hint);
        Assert.Equal("/dev/tpmrm0", report.ResourceManagerPath);
        Assert.Equal("/dev/tpm0", report.DevicePath);
        Assert.Equal("/sys/class/tpm/tpm0", report.SysfsPath);
        Assert.Equal(2, report.MajorVersion);
        Assert.Equal("infineon,slb9670", report.Compatible);
        Assert.Equal("infineon", report.Manufacturer);
        Assert.Equal("tpm_tis_spi", report.Driver);
        Assert.Equal("TPM 2.0 at /dev/tpmrm0 (infineon,slb9670, driver tpm_tis_spi), accessible to deviceagent", report.Summary);
        Assert.Equal([Path.Combine(_root.FullName, "dev", "tpmrm0")], _probed);
    }

    [Fact]
    public void An_ACPI_TPM_shows_the_firmwares_description()
    {
        Write("sys/class/tpm/tpm0/tpm_version_major", "2\n");
        Write("sys/class/tpm/tpm0/device/description", "TPM 2.0 Device\n");
        Write("dev/tpmrm0", "");
        var report = Discover(DeviceAccess.Granted);
        Assert.Equal("TPM 2.0 Device", report.Description);
        Assert.Null(report.Manufacturer);
        Assert.Equal("TPM 2.0 at /dev/tpmrm0 (TPM 2.0 Device), accessible to deviceagent", report.Summary);
    }

    [Fact]
    public void Permission_denied_for_a_user_outside_tss_says_to_add_it()
    {
        RaspberryPiTpm();
        Groups(tssGid: 109, processGroups: "4 20 27");
        var report = Discover(DeviceAccess.PermissionDenied);
        Assert.Equal(TpmStatus.PermissionDenied, report.Status);
        Assert.Contains("deviceagent may not open /dev/tpmrm0", report.Summary, StringComparison.Ordinal);
        Assert.StartsWith("add the agent user to group tss: sudo usermod -aG tss deviceagent", report.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Permission_denied_for_a_user_in_tss_points_to_the_device_nodes_mode()
    {
        RaspberryPiTpm();
        Groups(tssGid: 109, processGroups: "4 109");
        var report = Discover(DeviceAccess.PermissionDenied);
        Assert.Contains("ls -l /dev/tpmrm0", report.Hint, StringComparison.Ordinal);
        Assert.Contains("crw-rw----", report.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Permission_denied_without_a_tss_group_says_to_install_tpm_udev()
    {
        RaspberryPiTpm();
        Write("etc/group", "root:x:0:\ngpio:x:997:pi\n");
        var report = Discover(DeviceAccess.PermissionDenied);
        Assert.StartsWith("the group tss does not exist: install tpm-udev", report.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_TPM_1_2_is_not_supported()
    {
        Write("sys/class/tpm/tpm0/tpm_version_major", "1\n");
        Write("sys/class/tpm/tpm0/device/caps", "Manufacturer: 0x49465800\nTCG version: 1.2\n");
        Write("dev/tpm0", "");
        var report = Discover(DeviceAccess.Granted);
        Assert.Equal(TpmStatus.UnsupportedVersion, report.Status);
        Assert.Equal("0x49465800", report.Manufacturer);
        Assert.Contains("needs a TPM 2.0", report.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_TPM_known_to_the_kernel_without_device_nodes_suggests_passing_the_device_in()
    {
        Write("sys/class/tpm/tpm0/tpm_version_major", "2\n");
        var report = Discover(DeviceAccess.Granted);
        Assert.Equal(TpmStatus.NoResourceManager, report.Status);
        Assert.Contains("--device /dev/tpmrm0", report.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_device_without_the_resource_manager_is_reported()
    {
        Write("sys/class/tpm/tpm0/tpm_version_major", "2\n");
        Write("dev/tpm0", "");
        var report = Discover(DeviceAccess.Granted);
        Assert.Equal(TpmStatus.NoResourceManager, report.Status);
        Assert.Equal("/dev/tpm0 exists but /dev/tpmrm0, the kernel's resource manager device, does not", report.Summary);
    }

    [Fact]
    public void The_lowest_numbered_TPM_is_used()
    {
        Write("dev/tpmrm3", "");
        Write("dev/tpmrm1", "");
        Write("dev/tpm1", "");
        var report = Discover(DeviceAccess.Granted);
        Assert.Equal("/dev/tpmrm1", report.ResourceManagerPath);
        Assert.Equal(TpmStatus.Ready, report.Status);
    }

    [Fact]
    public void An_open_failure_other_than_permission_is_unreachable()
    {
        RaspberryPiTpm();
        var report = Discover(DeviceAccess.Failed);
        Assert.Equal(TpmStatus.Unreachable, report.Status);
        Assert.Contains("dmesg", report.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_probe_opens_the_node_read_write()
    {
        RaspberryPiTpm();
        var report = new TpmDiscovery(_root.FullName, user: "deviceagent").Inspect();
        Assert.Equal(TpmStatus.Ready, report.Status); // a regular file stands in for the node
        Assert.Equal(DeviceAccess.Missing, DeviceAccessProbe.Open(Path.Combine(_root.FullName, "dev", "tpmrm9")));
    }

    [Fact]
    public void The_report_reads_as_a_diagnosis()
    {
        RaspberryPiTpm();
        Groups(tssGid: 109, processGroups: "4");
        var text = Discover(DeviceAccess.PermissionDenied).ToString();
        Assert.StartsWith("tpm: TPM 2.0 at /dev/tpmrm0", text, StringComparison.Ordinal);
        Assert.Contains("  version: 2.0\n", text, StringComparison.Ordinal);
        Assert.Contains("  driver: tpm_tis_spi\n", text, StringComparison.Ordinal);
        Assert.Contains("hint: add the agent user to group tss", text, StringComparison.Ordinal);
    }

    private TpmReport Discover(DeviceAccess access) =>
        new TpmDiscovery(_root.FullName, path => { _probed.Add(path); return access; }, "deviceagent").Inspect();

    // What a Raspberry Pi shows with dtoverlay=tpm-slb9670: the device tree node's compatible
    // string and the tpm_tis_spi driver link under the TPM's sysfs device.
    private void RaspberryPiTpm()
    {
        Write("sys/class/tpm/tpm0/tpm_version_major", "2\n");
        Write("sys/class/tpm/tpm0/device/of_node/compatible", "infineon,slb9670\0");
        Write("sys/class/tpm/tpm0/device/modalias", "spi:slb9670\n");
        Directory.CreateDirectory(Path.Combine(_root.FullName, "sys/bus/spi/drivers/tpm_tis_spi"));
        Directory.CreateSymbolicLink(Path.Combine(_root.FullName, "sys/class/tpm/tpm0/device/driver"), "../../../../bus/spi/drivers/tpm_tis_spi");
        Write("dev/tpm0", "");
        Write("dev/tpmrm0", "");
    }

    private void Groups(int tssGid, string processGroups)
    {
        Write("etc/group", $"root:x:0:\ntss:x:{tssGid}:\ngpio:x:997:pi\n");
        Write("proc/self/status", $"Name:\tdeviceagent\nUid:\t998\t998\t998\t998\nGid:\t998\t998\t998\t998\nGroups:\t{processGroups}\n");
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
