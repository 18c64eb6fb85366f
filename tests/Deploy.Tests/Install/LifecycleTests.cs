namespace Deploy.Tests.Install;

/// <summary>
/// Upgrade, remove and purge of the installed packages (dpkg in a scratch root): what stays, what
/// goes, and that the device identity made at the factory survives even a purge.
/// </summary>
[Collection(BuiltPackages.Name)]
public sealed class LifecycleTests(PackageBuild packages)
{
    [Fact]
    public async Task An_upgrade_keeps_the_edited_configuration_the_directory_modes_and_the_user()
    {
        using var root = new ScratchRoot();
        await root.InstallAsync(packages.Agent);
        var edited = (await File.ReadAllTextAsync(root.At("/etc/deviceagent/agent.json"))).Replace("\"idScope\": \"\"", "\"idScope\": \"0ne00000042\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(root.At("/etc/deviceagent/agent.json"), edited);
        var directories = (await root.StatAsync("/etc/deviceagent"), await root.StatAsync("/var/lib/deviceagent"));
        var user = root.Entry("passwd", "deviceagent");

        await root.InstallAsync(packages.Agent); // configure with the old version as $2: the upgrade path

        Assert.Equal(edited, await File.ReadAllTextAsync(root.At("/etc/deviceagent/agent.json")));
        Assert.Equal(directories, (await root.StatAsync("/etc/deviceagent"), await root.StatAsync("/var/lib/deviceagent")));
        Assert.Equal(user, root.Entry("passwd", "deviceagent"));
        Assert.Single(File.ReadLines(root.At("/etc/passwd")), line => line.StartsWith("deviceagent:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_upgrade_from_the_architecture_all_package_replaces_launcher_and_assemblies_by_the_native_program()
    {
        using var root = new ScratchRoot();
        var old = await ArchitectureAllPackage.BuildAsync(packages.Agent, root.At("/tmp"));
        await root.InstallAsync(old);
        Assert.True(File.Exists(root.At("/usr/lib/deviceagent/deviceagent.dll")));
        var edited = (await File.ReadAllTextAsync(root.At("/etc/deviceagent/agent.json"))).Replace("\"idScope\": \"\"", "\"idScope\": \"0ne00000042\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(root.At("/etc/deviceagent/agent.json"), edited);
        await File.WriteAllTextAsync(root.At("/var/lib/deviceagent/state.json"), "{}");
        var user = root.Entry("passwd", "deviceagent");

        await root.InstallAsync(packages.Agent); // deviceagent:all 0.0.1 -> deviceagent:amd64

        var status = await root.DpkgAsync("--status", "deviceagent");
        Assert.Contains("Architecture: amd64", status, StringComparison.Ordinal);
        Assert.Contains("Status: install ok installed", status, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root.At("/usr/lib/deviceagent")), "the portable build's files outlived the upgrade");
        Assert.Equal(edited, await File.ReadAllTextAsync(root.At("/etc/deviceagent/agent.json")));
        Assert.True(File.Exists(root.At("/var/lib/deviceagent/state.json")));
        Assert.Equal(user, root.Entry("passwd", "deviceagent"));
        var version = await ExternalProcess.RunAsync(root.At("/usr/bin/deviceagent"), ["--version"]);
        Assert.True(version.ExitCode == 0, version.Transcript);
    }

    [Fact]
    public async Task Removing_the_agent_keeps_configuration_and_data_and_purging_keeps_only_the_device_identity()
    {
        using var root = new ScratchRoot();
        await root.InstallAsync(packages.Agent);
        // What the agent and the Raspberry Pi scripts put there once the device is set up.
        await File.WriteAllTextAsync(root.At("/var/lib/deviceagent/state.json"), "{}");
        await File.WriteAllTextAsync(root.At("/var/lib/deviceagent/chain.pem"), "leaf and intermediates");
        Directory.CreateDirectory(root.At("/var/lib/deviceagent/tpm2-pkcs11"));
        await File.WriteAllTextAsync(root.At("/var/lib/deviceagent/tpm2-pkcs11/tpm2_pkcs11.sqlite3"), "token store");
        await File.WriteAllTextAsync(root.At("/etc/deviceagent/user.pin"), "123456");
        await EnableAsync(root, "deviceagent.service");

        await root.RemoveAsync("deviceagent");
        Assert.False(File.Exists(root.At("/usr/bin/deviceagent")));
        Assert.False(File.Exists(root.At("/usr/lib/systemd/system/deviceagent.service")));
        Assert.True(File.Exists(root.At("/etc/deviceagent/agent.json")));
        Assert.True(File.Exists(root.At("/var/lib/deviceagent/state.json")));

        var purge = await root.DpkgAsync("--purge", "deviceagent");
        Assert.False(File.Exists(root.At("/etc/deviceagent/agent.json")));
        Assert.False(File.Exists(root.At("/var/lib/deviceagent/state.json")));
        Assert.False(File.Exists(root.At("/etc/systemd/system/multi-user.target.wants/deviceagent.service")), "purge left the unit enabled");
        Assert.True(File.Exists(root.At("/var/lib/deviceagent/chain.pem")));
        Assert.True(File.Exists(root.At("/var/lib/deviceagent/tpm2-pkcs11/tpm2_pkcs11.sqlite3")));
        Assert.True(File.Exists(root.At("/etc/deviceagent/user.pin")));
        Assert.Contains("kept /var/lib/deviceagent", purge, StringComparison.Ordinal);
        Assert.NotNull(root.Entry("passwd", "deviceagent"));
    }

    [Theory]
    [InlineData("deviceagent", "state.json")]
    [InlineData("provisioning-endpoint", "endpoint.db")]
    public async Task Removing_keeps_the_data_the_service_wrote_and_purging_removes_it_with_its_directories(string name, string dataFile)
    {
        using var root = new ScratchRoot();
        await root.InstallAsync(packages.All.Single(p => p.Name == name));
        var data = root.At($"/var/lib/{name}/{dataFile}");
        await File.WriteAllTextAsync(data, "written by the service");

        await root.RemoveAsync(name);
        Assert.True(File.Exists(data));

        await root.PurgeAsync(name);
        Assert.False(Directory.Exists(root.At($"/var/lib/{name}")));
        Assert.False(Directory.Exists(root.At($"/etc/{name}")));
    }

    // `systemctl enable` as an administrator runs it, offline on the root.
    private static async Task EnableAsync(ScratchRoot root, string unit)
    {
        var result = await ExternalProcess.RunAsync(ExternalProcess.Require("systemctl", "systemd"), [$"--root={root.Path}", "enable", unit]);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.True(File.Exists(root.At($"/etc/systemd/system/multi-user.target.wants/{unit}")), result.Transcript);
    }
}
