using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.RaspberryPi;

/// <summary>enable-tpm.sh against temporary copies of config.txt.</summary>
public sealed class EnableTpmScriptTests : IDisposable
{
    // The shape of Raspberry Pi OS bookworm's stock /boot/firmware/config.txt (abridged).
    private const string StockConfig = """
        # For more options and information see
        # http://rptl.io/configtxt
        # Some settings may impact device functionality. See link above for details

        # Uncomment some or all of these to enable the optional hardware interfaces
        #dtparam=i2c_arm=on
        #dtparam=i2s=on
        #dtparam=spi=on

        # Enable audio (loads snd_bcm2835)
        dtparam=audio=on

        # Automatically load overlays for detected cameras
        camera_auto_detect=1

        [cm4]
        # Enable host mode on the 2711 built-in XHCI USB controller.
        otg_mode=1

        [cm5]
        dtoverlay=dwc2,dr_mode=host

        [all]

        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("deviceagent-boot-");

    private string Config => Path.Combine(_dir.FullName, "config.txt");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Adds_spi_and_the_overlay_once_with_a_backup_and_a_second_run_changes_nothing()
    {
        await File.WriteAllTextAsync(Config, StockConfig);

        var first = await Scripts.RunAsync("enable-tpm.sh", ["--config", Config]);
        Assert.True(first.ExitCode == 0, first.Transcript);
        Assert.Contains("reboot", first.StandardError, StringComparison.Ordinal);
        var edited = await File.ReadAllTextAsync(Config);
        Assert.Equal(StockConfig + "# DeviceAgent: SPI TPM (added by enable-tpm.sh)\ndtparam=spi=on\ndtoverlay=tpm-slb9670\n", edited);
        var backup = Assert.Single(_dir.GetFiles("config.txt.deviceagent-*.bak"));
        Assert.Equal(StockConfig, await File.ReadAllTextAsync(backup.FullName));

        var second = await Scripts.RunAsync("enable-tpm.sh", ["--config", Config]);
        Assert.True(second.ExitCode == 0, second.Transcript);
        Assert.Contains("nothing to do", second.StandardError, StringComparison.Ordinal);
        Assert.Equal(edited, await File.ReadAllTextAsync(Config));
        Assert.Single(_dir.GetFiles("config.txt.deviceagent-*.bak"));
        Assert.Single(edited.Split('\n'), line => line == "dtoverlay=tpm-slb9670");
    }

    [Fact]
    public async Task A_file_ending_in_a_conditional_section_gets_an_all_section_first()
    {
        await File.WriteAllTextAsync(Config, "dtparam=audio=on\n[pi4]\narm_boost=1");
        var result = await Scripts.RunAsync("enable-tpm.sh", ["--config", Config]);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Equal("dtparam=audio=on\n[pi4]\narm_boost=1\n[all]\n# DeviceAgent: SPI TPM (added by enable-tpm.sh)\ndtparam=spi=on\ndtoverlay=tpm-slb9670\n",
            await File.ReadAllTextAsync(Config));
    }

    [Fact]
    public async Task Lines_that_only_apply_to_one_board_do_not_count()
    {
        await File.WriteAllTextAsync(Config, "dtparam=spi=on\n[pi4]\ndtoverlay=tpm-slb9670\n[all]\n");
        var result = await Scripts.RunAsync("enable-tpm.sh", ["--config", Config]);
        Assert.True(result.ExitCode == 0, result.Transcript);
        var lines = (await File.ReadAllTextAsync(Config)).Split('\n');
        Assert.Equal(2, lines.Count(l => l == "dtoverlay=tpm-slb9670"));
        Assert.Single(lines, l => l == "dtparam=spi=on"); // already in effect: not added again
    }

    [Fact]
    public async Task A_later_spi_off_is_overridden()
    {
        await File.WriteAllTextAsync(Config, "dtparam=spi=on\ndtoverlay=tpm-slb9670\ndtparam=spi=off\n");
        var result = await Scripts.RunAsync("enable-tpm.sh", ["--config", Config]);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.EndsWith("dtparam=spi=off\n# DeviceAgent: SPI TPM (added by enable-tpm.sh)\ndtparam=spi=on\n", await File.ReadAllTextAsync(Config), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_prints_the_lines_and_changes_nothing()
    {
        await File.WriteAllTextAsync(Config, StockConfig);
        var result = await Scripts.RunAsync("enable-tpm.sh", ["--config", Config, "--dry-run", "--overlay", "tpm-slb9670"]);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("  + dtparam=spi=on\n  + dtoverlay=tpm-slb9670\n", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(StockConfig, await File.ReadAllTextAsync(Config));
        Assert.Single(_dir.GetFiles());
    }

    [Fact]
    public async Task The_file_can_come_from_the_environment()
    {
        await File.WriteAllTextAsync(Config, "");
        var result = await Scripts.RunAsync("enable-tpm.sh", [], new Dictionary<string, string> { ["DEVICEAGENT_CONFIG_TXT"] = Config });
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Equal("# DeviceAgent: SPI TPM (added by enable-tpm.sh)\ndtparam=spi=on\ndtoverlay=tpm-slb9670\n", await File.ReadAllTextAsync(Config));
    }

    [Fact]
    public async Task A_missing_file_is_an_error_with_a_hint()
    {
        var result = await Scripts.RunAsync("enable-tpm.sh", ["--config", Path.Combine(_dir.FullName, "nope.txt")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: pass the right file with --config PATH", result.StandardError, StringComparison.Ordinal);
    }
}
