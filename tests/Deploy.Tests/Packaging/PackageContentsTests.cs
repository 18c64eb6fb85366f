using System.Text.RegularExpressions;

namespace Deploy.Tests.Packaging;

/// <summary>What deploy/package.sh puts into the .deb files, as dpkg-deb shows it.</summary>
[Collection(BuiltPackages.Name)]
public sealed partial class PackageContentsTests(PackageBuild packages)
{
    public static TheoryData<string> PackageNames() => new("deviceagent", "provisioning-endpoint");

    // Each package and its Debian architecture: the agent natively per architecture, the endpoint portable.
    public static TheoryData<string, string> PackageArchitectures() => new()
    {
        { "deviceagent", "amd64" }, { "deviceagent", "arm64" }, { "provisioning-endpoint", "all" },
    };

    private DebianPackage Package(string name) => packages.All.Single(p => p.Name == name);

    private DebianPackage Package(string name, string architecture) =>
        name == "deviceagent" && architecture == "arm64" ? packages.Arm64Agent : Package(name);

    [Theory]
    [MemberData(nameof(PackageArchitectures))]
    public void A_package_has_its_architecture_and_the_repository_version(string name, string architecture)
    {
        var package = Package(name, architecture);
        var version = VersionTag().Match(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"))).Groups[1].Value;
        Assert.Equal(architecture, package.Fields["Architecture"]);
        Assert.Equal(version, package.Fields["Version"]);
        Assert.Equal($"{name}_{version}_{architecture}.deb", Path.GetFileName(package.FilePath));
        Assert.True(int.Parse(package.Fields["Installed-Size"], System.Globalization.CultureInfo.InvariantCulture) > 100, package.Fields["Installed-Size"]);
        Assert.Contains("systemd-sysusers", package.Relations("Depends"));
    }

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public void The_agent_depends_on_libssl_recommends_tpm2_pkcs11_and_needs_no_openssl_engine_and_no_dotnet(string architecture)
    {
        var agent = Package("deviceagent", architecture);
        var depends = agent.Relations("Depends");
        Assert.Contains("libssl3", depends); // the native executable loads libssl.so.3 for TLS
        // TLS signs through the agent's own key-method bridge: no OpenSSL engine on the device.
        Assert.DoesNotContain("libengine-pkcs11-openssl", depends);
        Assert.DoesNotContain("libengine-pkcs11-openssl", agent.Relations("Recommends"));
        // The native TPM route (tpm:handle=, our stack on /dev/tpmrm0) needs no tpm2-pkcs11; the PKCS#11 route recommends it.
        Assert.DoesNotContain("libtpm2-pkcs11-1", depends);
        Assert.Contains("libtpm2-pkcs11-1", agent.Relations("Recommends"));
        Assert.DoesNotContain("tpm2-abrmd", depends);
        Assert.Contains("tpm-udev", depends); // the tss group, before postinst adds the user to it
        Assert.Contains("ca-certificates", depends); // DPS and the hub are checked against the system store
        Assert.Contains("tpm2-tools", agent.Relations("Recommends"));
        // Native AOT: nothing of .NET is needed on the device (apt install ./deviceagent_*_arm64.deb is all).
        Assert.DoesNotContain(depends.Concat(agent.Relations("Recommends")), d => d.StartsWith("dotnet", StringComparison.Ordinal));
        Assert.Contains("/usr/share/doc/deviceagent/README.md", agent.Fields["Description"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amd64", 0x3E)] // EM_X86_64
    [InlineData("arm64", 0xB7)] // EM_AARCH64
    public async Task The_agent_package_holds_native_executables_for_its_architecture_and_no_assemblies(string architecture, int machine)
    {
        var agent = Package("deviceagent", architecture);
        Assert.DoesNotContain(agent.Contents, e => e.Path.StartsWith("usr/lib/deviceagent/", StringComparison.Ordinal) || e.Path.EndsWith(".dll", StringComparison.Ordinal) || e.Path.EndsWith(".dbg", StringComparison.Ordinal));
        using var root = await ExtractedRoot.CreateAsync([agent]);
        foreach (var program in PackageBuild.HasFactory ? new[] { "deviceagent", "bringup" } : ["deviceagent"])
        {
            var header = new byte[20];
            await using (var file = File.OpenRead(Path.Combine(root.Path, "usr/bin", program)))
                await file.ReadExactlyAsync(header);
            Assert.True(header.AsSpan(0, 4).SequenceEqual((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']), $"{program} ({architecture}) is not an ELF executable");
            Assert.Equal(machine, BitConverter.ToUInt16(header, 18)); // e_machine (little-endian on both)
        }
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
        "usr/bin/deviceagent", "usr/lib/systemd/system/deviceagent.service", "usr/lib/sysusers.d/deviceagent.conf",
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
        var program = packages.Agent.Entry("usr/bin/bringup");
        if (PackageBuild.HasFactory)
        {
            Assert.NotNull(program);
        }
        else
        {
            Assert.Null(program);
            Assert.Contains("src/Factory does not exist", packages.Transcript, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_portable_endpoint_package_holds_no_native_code_but_sqlite_for_linux_x64_arm64_and_arm()
    {
        var (name, package) = ("provisioning-endpoint", packages.Endpoint);
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
