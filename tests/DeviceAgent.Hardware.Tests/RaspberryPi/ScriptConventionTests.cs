using DeviceAgent.Hardware.Tests.Support;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Hardware.Tests.RaspberryPi;

/// <summary>Every script parses, and every executable one answers --help and refuses an unknown option.</summary>
public sealed class ScriptConventionTests
{
    public static TheoryData<string> AllScripts() => new(Scripts.All());

    public static TheoryData<string> SetupScripts() => new(SetupScriptNames());

    private static string[] SetupScriptNames() =>
        Directory.EnumerateFiles(Scripts.RaspberryPi, "*.sh").Select(p => Path.GetFileName(p)).Where(n => n != "lib.sh").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_technicians_scripts_are_all_there()
    {
        Assert.Equal(
            ["check-tpm.sh", "create-agent-user.sh", "create-token.sh", "enable-tpm.sh", "factory-identity.sh", "install-packages.sh"],
            SetupScriptNames());
        Assert.True(File.Exists(Path.Combine(Scripts.RaspberryPi, "README.md")));
    }

    [Theory]
    [MemberData(nameof(AllScripts))]
    public async Task Script_parses_with_bash_n(string script)
    {
        var result = await ExternalProcess.RunAsync("bash", ["-n", Path.Combine(RepositoryPaths.Root, script)]);
        Assert.True(result.ExitCode == 0, result.Transcript);
    }

    [Theory]
    [MemberData(nameof(SetupScripts))]
    public async Task Script_is_strict_executable_and_documents_itself(string script)
    {
        var path = Path.Combine(Scripts.RaspberryPi, script);
        var text = await File.ReadAllTextAsync(path);
        Assert.StartsWith("#!/usr/bin/env bash\n", text, StringComparison.Ordinal);
        Assert.Contains("\nset -euo pipefail\n", text, StringComparison.Ordinal);
        Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");

        var help = await Scripts.RunAsync(script, ["--help"]);
        Assert.True(help.ExitCode == 0, help.Transcript);
        Assert.Contains(script, help.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("set -euo", help.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SetupScripts))]
    public async Task Script_refuses_an_unknown_option_with_exit_2(string script)
    {
        var result = await Scripts.RunAsync(script, ["--no-such-option"]);
        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains("unknown argument '--no-such-option' (try --help)", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }
}
