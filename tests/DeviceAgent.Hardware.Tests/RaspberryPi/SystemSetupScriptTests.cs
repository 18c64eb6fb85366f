using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.RaspberryPi;

/// <summary>
/// create-agent-user.sh and install-packages.sh change the machine (users, groups, udev, apt), so
/// here they run with --dry-run only: the plan they print is checked, and nothing changes.
/// </summary>
public sealed class SystemSetupScriptTests
{
    [Fact]
    public async Task A_new_agent_user_is_planned_as_a_system_user_in_tss_and_gpio_without_a_shell()
    {
        var rules = Path.Combine(Path.GetTempPath(), $"deviceagent-{Guid.NewGuid():N}.rules");
        var result = await Scripts.RunAsync("create-agent-user.sh", ["--dry-run", "--user", "da-test-nobody", "--udev-rules", rules]);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains(@"would run: useradd --system --user-group --groups tss\,gpio --home-dir /var/lib/deviceagent --no-create-home --shell /usr/sbin/nologin",
            result.StandardError, StringComparison.Ordinal);
        Assert.Contains("would run: install -d -m 0750 -o da-test-nobody -g da-test-nobody /var/lib/deviceagent", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"would: write {rules} and reload udev", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(rules));
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task An_existing_user_only_gets_the_missing_groups()
    {
        var result = await Scripts.RunAsync("create-agent-user.sh", ["--dry-run", "--user", "root"]);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("user root exists", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("useradd", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_user_name_is_a_usage_error()
    {
        var result = await Scripts.RunAsync("create-agent-user.sh", ["--dry-run", "--user", "Bad Name"]);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Installing_packages_plans_only_what_is_missing()
    {
        var result = await Scripts.RunAsync("install-packages.sh", ["--dry-run"]);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.True(
            result.StandardError.Contains("all packages are installed", StringComparison.Ordinal) ||
            result.StandardError.Contains("would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends", StringComparison.Ordinal),
            result.Transcript);
        // tpm2-tools is installed on this machine (./build.sh deps): it is not planned again.
        var plan = result.StandardError.Split('\n').FirstOrDefault(l => l.Contains("apt-get install", StringComparison.Ordinal)) ?? "";
        Assert.DoesNotContain(" tpm2-tools", plan, StringComparison.Ordinal);
    }
}
