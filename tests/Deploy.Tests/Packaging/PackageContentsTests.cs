using System.Text.RegularExpressions;

namespace Deploy.Tests.Packaging;

/// <summary>What deploy/package.sh puts into the two .deb files, as dpkg-deb shows it.</summary>
[Collection(BuiltPackages.Name)]
public sealed partial class PackageContentsTests(PackageBuild packages)
{
    public static TheoryData<string> PackageNames() => new("deviceagent", "provisioning-endpoint");

    private DebianPackage Package(string name) => packages.All.Single(p => p.Name == name);

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void A_package_is_architecture_all_with_the_repository_version(string name)
    {
        var package = Package(name);
        var version = VersionTag().Match(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"))).Groups[1].Value;
        Assert.Equal("all", package.Fields["Architecture"]);
        Assert.Equal(version, package.Fields["Version"]);
        Assert.Equal($"{name}_{version}_all.deb", Path.GetFileName(package.FilePath));
        Assert.True(int.Parse(package.Fields["Installed-Size"], System.Globalization.CultureInfo.InvariantCulture) > 100, package.Fields["Installed-Size"]);
        Assert.Contains("systemd-sysusers", package.Relations("Depends"));
    }

    [Fact]
    public void The_agent_depends_on_tpm2_pkcs11_not_on_an_openssl_engine_and_recommends_the_dotnet_runtime()
    {
        var depends = packages.Agent.Relations("Depends");
        // TLS signs through the agent's own key-method bridge: no OpenSSL engine on the device.
        Assert.DoesNotContain("libengine-pkcs11-openssl", depends);
        Assert.DoesNotContain("libengine-pkcs11-openssl", packages.Agent.Relations("Recommends"));
        Assert.Contains("libtpm2-pkcs11-1", depends);
        Assert.Contains("tpm-udev", depends); // the tss group, before postinst adds the user to it
        Assert.Contains("ca-certificates", depends); // DPS and the hub are checked against the system store
        var recommends = packages.Agent.Relations("Recommends");
        Assert.Contains("dotnet-runtime-10.0", recommends);
        Assert.Contains("tpm2-tools", recommends);
        // Not a hard dependency: no arm64 package of the runtime exists for Raspberry Pi OS.
        Assert.DoesNotContain(depends, d => d.StartsWith("dotnet", StringComparison.Ordinal));
        Assert.Contains("/usr/share/doc/deviceagent/README.md", packages.Agent.Fields["Description"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_endpoint_recommends_the_aspnetcore_runtime_and_needs_no_tpm()
    {
        Assert.Contains("aspnetcore-runtime-10.0", packages.Endpoint.Relations("Recommends"));
        Assert.DoesNotContain(packages.Endpoint.Relations("Depends"), d => d.Contains("tpm", StringComparison.Ordinal) || d.StartsWith("dotnet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("deviceagent", new[]
    {
        "usr/bin/deviceagent", "usr/lib/deviceagent/deviceagent.dll", "usr/lib/deviceagent/deviceagent.runtimeconfig.json",
        "usr/lib/deviceagent/deviceagent.deps.json", "usr/lib/deviceagent/DeviceAgent.Keys.dll",
        "usr/lib/systemd/system/deviceagent.service", "usr/lib/sysusers.d/deviceagent.conf",
        "etc/deviceagent/agent.json", "usr/share/doc/deviceagent/README.md",
    })]
    [InlineData("provisioning-endpoint", new[]
    {
        "usr/bin/provisioning-endpoint", "usr/lib/provisioning-endpoint/provisioning-endpoint.dll",
        "usr/lib/provisioning-endpoint/provisioning-endpoint.runtimeconfig.json", "usr/lib/provisioning-endpoint/Microsoft.Data.Sqlite.dll",
        "usr/lib/provisioning-endpoint/runtimes/linux-arm64/native/libe_sqlite3.so",
        "usr/lib/provisioning-endpoint/runtimes/linux-arm/native/libe_sqlite3.so",
        "usr/lib/provisioning-endpoint/runtimes/linux-x64/native/libe_sqlite3.so",
        "usr/lib/systemd/system/provisioning-endpoint.service", "usr/lib/sysusers.d/provisioning-endpoint.conf",
        "etc/provisioning-endpoint/provisioning-endpoint.env", "usr/share/doc/provisioning-endpoint/README.md",
    })]
    public void A_package_lays_out_its_program_unit_user_and_configuration(string name, string[] files)
    {
        var package = Package(name);
        foreach (var file in files)
            Assert.True(package.Entry(file) is { IsFile: true }, $"{package} has no file {file}");
    }

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void Every_member_is_root_owned_files_0644_directories_and_launchers_0755(string name)
    {
        foreach (var entry in Package(name).Contents)
        {
            Assert.True(entry.Owner == "root/root", $"{entry.Path} is owned by {entry.Owner}");
            var expected = entry.IsDirectory || entry.Path.StartsWith("usr/bin/", StringComparison.Ordinal) ? "rwxr-xr-x" : "rw-r--r--";
            Assert.True(entry.Mode[1..] == expected, $"{entry.Path} has mode {entry.Mode}, expected {expected}");
            Assert.True(entry.IsDirectory || entry.IsFile, $"{entry.Path} is neither a file nor a directory ({entry.Mode})");
        }
    }

    [Fact]
    public void The_agent_package_carries_bringup_exactly_when_src_Factory_exists()
    {
        var launcher = packages.Agent.Entry("usr/bin/bringup");
        var program = packages.Agent.Entry("usr/lib/deviceagent/bringup.dll");
        if (PackageBuild.HasFactory)
        {
            Assert.NotNull(launcher);
            Assert.NotNull(program);
        }
        else
        {
            Assert.Null(launcher);
            Assert.Null(program);
            Assert.Contains("src/Factory does not exist", packages.Transcript, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void A_portable_package_holds_no_native_code_but_sqlite_for_linux_x64_arm64_and_arm(string name)
    {
        var package = Package(name);
        // The apphost publish makes is native code for the build machine: the launcher replaces it.
        Assert.Null(package.Entry($"usr/lib/{name}/{name}"));
        foreach (var entry in package.Contents.Where(e => e.Path.Contains("/runtimes/", StringComparison.Ordinal) && e.IsFile))
            Assert.Matches(@"/runtimes/linux-(x64|arm64|arm)/native/[^/]+\.so$", entry.Path);
        Assert.DoesNotContain(package.Contents, e => e.Path.EndsWith(".xml", StringComparison.Ordinal) || e.Path.EndsWith(".resources.dll", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PackageNames))]
    public async Task The_maintainer_scripts_are_executable_complete_posix_shell_scripts(string name)
    {
        var package = Package(name);
        foreach (var script in new[] { "postinst", "prerm", "postrm" })
        {
            var member = package.Control.SingleOrDefault(e => e.Path == script);
            Assert.True(member is { Mode: "-rwxr-xr-x", Owner: "root/root" }, $"{package} {script}: {member}");
            var text = await package.ControlFileAsync(script);
            Assert.StartsWith("#!/bin/sh\n", text, StringComparison.Ordinal);
            Assert.Contains("\nset -e\n", text, StringComparison.Ordinal);
            Assert.DoesNotMatch("@[A-Z_]+@", text);
            var syntax = await ExternalProcess.RunAsync("sh", ["-n", "-c", text]);
            Assert.True(syntax.ExitCode == 0, $"{script}: {syntax.Transcript}");
        }
    }

    [Theory]
    [InlineData("deviceagent", "/etc/deviceagent/agent.json")]
    [InlineData("provisioning-endpoint", "/etc/provisioning-endpoint/provisioning-endpoint.env")]
    public async Task The_sample_configuration_is_the_only_conffile(string name, string conffile)
    {
        var package = Package(name);
        Assert.Equal([conffile], (await package.ControlFileAsync("conffiles")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(package.Contents, e => e.IsFile && e.Path.StartsWith("etc/", StringComparison.Ordinal) && "/" + e.Path != conffile);
    }

    [Theory]
    [MemberData(nameof(PackageNames))]
    public async Task The_postinst_registers_the_unit_but_neither_enables_nor_starts_it(string name)
    {
        var postinst = await Package(name).ControlFileAsync("postinst");
        Assert.Contains($"deb-systemd-helper update-state {name}.service", postinst, StringComparison.Ordinal);
        Assert.DoesNotContain("deb-systemd-helper enable", postinst, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"deb-systemd-invoke (start|restart)\b", postinst);
        Assert.Contains($"deb-systemd-invoke try-restart {name}.service", postinst, StringComparison.Ordinal);
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionTag();
}
