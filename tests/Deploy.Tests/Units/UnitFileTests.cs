using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Deploy.Tests.Units;

/// <summary>
/// The systemd units as packaged: systemd-analyze accepts them, their sandbox scores below a
/// threshold, and the settings the agent's code and the Raspberry Pi scripts rely on are there.
/// </summary>
[Collection(BuiltPackages.Name)]
public sealed partial class UnitFileTests(PackageBuild packages, ITestOutputHelper output)
{
    // systemd-analyze security's exposure (0 = fully sandboxed, 10 = not at all) of the units as
    // they are now, with a little room; a change that loosens the sandbox fails here.
    private static readonly Dictionary<string, double> s_exposureThreshold = new(StringComparer.Ordinal)
    {
        ["deviceagent.service"] = 1.6,
        ["provisioning-endpoint.service"] = 1.3,
    };

    // Sandboxing both units keep (see deploy/README.md, "Hardening").
    private static readonly string[] s_hardening =
    [
        "NoNewPrivileges=yes", "CapabilityBoundingSet=", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
        "DevicePolicy=closed", "ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectKernelLogs=yes",
        "ProtectControlGroups=yes", "ProtectClock=yes", "ProtectHostname=yes", "RestrictNamespaces=yes",
        "RestrictRealtime=yes", "RestrictSUIDSGID=yes", "LockPersonality=yes", "SystemCallArchitectures=native",
        "SystemCallFilter=@system-service", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "UMask=0077",
    ];

    public static TheoryData<string> Units() => new("deviceagent.service", "provisioning-endpoint.service");

    private DebianPackage PackageOf(string unit) => packages.All.Single(p => p.Name + ".service" == unit);

    private async Task<UnitFile> ReadAsync(string unit)
    {
        using var root = await ExtractedRoot.CreateAsync([PackageOf(unit)]);
        return new UnitFile(await File.ReadAllTextAsync(root.UnitPath(unit)));
    }

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Systemd_analyze_verify_accepts_the_unit_without_a_warning(string unit)
    {
        using var root = await ExtractedRoot.CreateAsync(packages.All);
        var result = await ExternalProcess.RunAsync(ExternalProcess.Require("systemd-analyze", "systemd"),
            ["verify", $"--root={root.Path}", $"/usr/lib/systemd/system/{unit}"]);
        Assert.True(result.ExitCode == 0 && result.StandardError.Trim().Length == 0, result.Transcript);
    }

    [Theory]
    [MemberData(nameof(Units))]
    public async Task The_sandbox_exposure_stays_below_the_threshold(string unit)
    {
        using var root = await ExtractedRoot.CreateAsync(packages.All);
        var result = await ExternalProcess.RunAsync(ExternalProcess.Require("systemd-analyze", "systemd"),
            ["security", "--offline=yes", $"--root={root.Path}", "--no-pager", unit]);
        var overall = OverallExposure().Match(result.StandardOutput + result.StandardError);
        Assert.True(overall.Success, result.Transcript);
        var exposure = double.Parse(overall.Groups["exposure"].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"{unit}: systemd-analyze security exposure {exposure.ToString("0.0", CultureInfo.InvariantCulture)} {overall.Groups["verdict"].Value}");
        output.WriteLine(string.Join('\n', result.StandardOutput.Split('\n').Where(l => l.StartsWith('✗'))));
        Assert.True(exposure <= s_exposureThreshold[unit], $"{unit}: exposure {exposure} > {s_exposureThreshold[unit]}\n{result.StandardOutput}");
    }

    [Theory]
    [MemberData(nameof(Units))]
    public async Task The_unit_keeps_its_sandbox_and_leaves_the_runtime_its_resource_limits(string unit)
    {
        var file = await ReadAsync(unit);
        foreach (var setting in s_hardening)
        {
            var key = setting[..setting.IndexOf('=', StringComparison.Ordinal)];
            Assert.True(file.All(key).Contains(setting[(key.Length + 1)..]), $"{unit} lacks {setting} (has: {string.Join(", ", file.All(key))})");
        }
        Assert.Equal("", file["AmbientCapabilities"]);
        // It killed the JIT-based .NET runtime at start (deploy/README.md, "Hardening").
        Assert.DoesNotContain(file.All("SystemCallFilter"), filter => filter.StartsWith('~') && filter.Contains("@resources", StringComparison.Ordinal));
        Assert.Equal("multi-user.target", file.All("WantedBy", "Install").Single());
    }

    [Fact]
    public async Task The_native_agent_denies_writable_executable_memory_and_the_jit_based_endpoint_does_not()
    {
        // The agent is native AOT (no JIT); the endpoint's JIT maps memory writable and executable.
        Assert.Equal("yes", (await ReadAsync("deviceagent.service"))["MemoryDenyWriteExecute"]);
        Assert.Null((await ReadAsync("provisioning-endpoint.service"))["MemoryDenyWriteExecute"]);
    }

    [Fact]
    public async Task The_agent_unit_is_type_notify_with_a_watchdog_and_no_restart_for_the_agents_fatal_exit_codes()
    {
        var file = await ReadAsync("deviceagent.service");
        Assert.Equal("notify", file["Type"]);
        Assert.Matches(@"^\d+s?$", file["WatchdogSec"]);
        Assert.Equal("on-failure", file["Restart"]);
        Assert.Equal("/usr/bin/deviceagent run --config /etc/deviceagent/agent.json", file["ExecStart"]);
        // The codes `deviceagent run` exits with when a restart cannot help.
        var codes = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src/DeviceAgent/Cli/ExitCodes.cs"));
        var fatal = new[] { "UsageError", "IdentityUnusable" }.Select(name => Regex.Match(codes, $@"const int {name} = (\d+);").Groups[1].Value);
        Assert.Equal(fatal.Order(StringComparer.Ordinal), file["RestartPreventExitStatus"]!.Split(' ').Order(StringComparer.Ordinal));
        Assert.Equal("deviceagent", file["User"]);
        Assert.Equal("deviceagent", file["StateDirectory"]);
        Assert.Equal("deviceagent", file["ConfigurationDirectory"]);
        Assert.Equal(["/dev/tpmrm0 rw", "char-gpiochip rw"], file.All("DeviceAllow"));
        Assert.Null(file["PrivateDevices"]); // it would hide /dev/tpmrm0
        Assert.Null(file["PrivateUsers"]); // it would unmap the supplementary groups tss and gpio
    }

    [Fact]
    public async Task The_agent_unit_gives_the_pin_as_the_credential_the_sample_configuration_names()
    {
        using var root = await ExtractedRoot.CreateAsync([packages.Agent]);
        var file = new UnitFile(await File.ReadAllTextAsync(root.UnitPath("deviceagent.service")));
        Assert.Equal("pin:/etc/deviceagent/user.pin", file["LoadCredential"]);
        // Without the file the start fails once (an assertion), not with 243/CREDENTIALS in a restart loop.
        Assert.Equal(["/etc/deviceagent/user.pin"], file.All("AssertPathExists", "Unit"));
        var sample = await File.ReadAllTextAsync(Path.Combine(root.Path, "etc/deviceagent/agent.json"));
        Assert.Contains("\"pinFile\": \"credential:pin\"", sample, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agent_unit_finds_the_token_store_where_the_raspberry_pi_scripts_create_it()
    {
        var file = await ReadAsync("deviceagent.service");
        Assert.Equal("-/etc/deviceagent/tpm2-pkcs11.env", file["EnvironmentFile"]);
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "hardware/raspberry-pi/create-token.sh"));
        var store = Regex.Match(script, "^store=(.+)$", RegexOptions.Multiline).Groups[1].Value;
        var tcti = Regex.Match(script, "^tcti=(.+)$", RegexOptions.Multiline).Groups[1].Value;
        var environmentFile = Regex.Match(script, "^env_file=(.+)$", RegexOptions.Multiline).Groups[1].Value;
        var pinFile = Regex.Match(script, "^pin_file=(.+)$", RegexOptions.Multiline).Groups[1].Value;
        Assert.Contains($"TPM2_PKCS11_STORE={store} TPM2_PKCS11_TCTI={tcti}", file.All("Environment"));
        Assert.Equal("-" + environmentFile, file["EnvironmentFile"]);
        Assert.Equal("pin:" + pinFile, file["LoadCredential"]);
    }

    [Fact]
    public async Task The_endpoint_unit_serves_from_its_state_directory_with_no_devices_and_a_private_user_namespace()
    {
        var file = await ReadAsync("provisioning-endpoint.service");
        Assert.Equal("/usr/bin/provisioning-endpoint serve --data-dir /var/lib/provisioning-endpoint $PROVISIONING_ENDPOINT_OPTIONS", file["ExecStart"]);
        Assert.Equal("provisioning-endpoint", file["StateDirectory"]);
        Assert.Equal("0700", file["StateDirectoryMode"]); // the endpoint makes its data directory 0700 itself
        Assert.Equal("-/etc/provisioning-endpoint/provisioning-endpoint.env", file["EnvironmentFile"]);
        Assert.Equal("yes", file["PrivateDevices"]);
        Assert.Equal("yes", file["PrivateUsers"]);
        Assert.Equal("pid", file["ProcSubset"]);
        Assert.Empty(file.All("DeviceAllow"));
        Assert.Equal("2", file["RestartPreventExitStatus"]);
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (?<exposure>\d+\.\d+) (?<verdict>\w+)")]
    private static partial Regex OverallExposure();
}
