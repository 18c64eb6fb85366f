using DeviceAgent.Hardware.Tests.Support;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Hardware.Tests.RaspberryPi;

/// <summary>
/// create-token.sh against a simulated TPM (TCTI override): the store and token it creates are
/// then listed and logged in to by pkcs11-tool, a real PKCS#11 client, with the PIN file it wrote.
/// </summary>
[Collection(SimulatedTpmGroup.Name)]
public sealed class CreateTokenScriptTests(SimulatedTpmFixture tpm) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("deviceagent-token-");

    private string Store => Path.Combine(_dir.FullName, "store");

    private string PinFile => Path.Combine(_dir.FullName, "etc", "user.pin");

    private string SoPinFile => Path.Combine(_dir.FullName, "etc", "so.pin");

    private string EnvFile => Path.Combine(_dir.FullName, "etc", "tpm2-pkcs11.env");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Creates_a_store_and_token_that_pkcs11_tool_lists_and_logs_in_to_and_a_rerun_keeps_them()
    {
        var first = await Run();
        Assert.True(first.ExitCode == 0, first.Transcript);
        Assert.Contains("key URI for bringup and the agent: pkcs11:token=agent;object=device-key", first.StandardOutput, StringComparison.Ordinal);

        var slots = await Pkcs11Tool("--list-slots");
        Assert.True(slots.ExitCode == 0, slots.Transcript);
        Assert.Matches(@"token label\s*:\s*agent\n", slots.StandardOutput);
        Assert.Contains("PIN initialized", slots.StandardOutput, StringComparison.Ordinal);

        var pin = await File.ReadAllTextAsync(PinFile);
        Assert.Matches("^[0-9a-f]{24}$", pin);
        Assert.NotEqual(pin, await File.ReadAllTextAsync(SoPinFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PinFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SoPinFile));
        Assert.Equal($"TPM2_PKCS11_STORE={Store}\nTPM2_PKCS11_TCTI={tpm.Tcti}\n", await File.ReadAllTextAsync(EnvFile));

        // The PIN is not on any command line: pkcs11-tool reads it from its environment here too.
        var login = await Pkcs11Tool("--token-label", "agent", "--login", "--pin", "env:AGENT_PIN", "--list-objects");
        Assert.True(login.ExitCode == 0, login.Transcript);

        var second = await Run();
        Assert.True(second.ExitCode == 0, second.Transcript);
        Assert.Contains("token 'agent' exists", second.StandardError, StringComparison.Ordinal);
        Assert.Equal(pin, await File.ReadAllTextAsync(PinFile));
        var again = await Pkcs11Tool("--list-slots");
        Assert.Single(again.StandardOutput.Split('\n'), line => line.Contains("token label", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_existing_token_without_its_PIN_file_is_an_error_that_explains_the_way_out()
    {
        Assert.Equal(0, (await Run()).ExitCode);
        File.Delete(PinFile);
        var result = await Run();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the token 'agent' exists but its user PIN file {PinFile} is missing", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: the factory's SO PIN can set a new one", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_creates_nothing()
    {
        var result = await Run("--dry-run");
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("would: create the token store", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_dir.GetFileSystemInfos());
    }

    [Fact]
    public async Task A_user_that_does_not_exist_is_refused_before_anything_is_made()
    {
        var result = await Scripts.RunAsync("create-token.sh", ["--user", "no-such-agent-user", "--store", Store, "--tcti", tpm.Tcti]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("user 'no-such-agent-user' does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_dir.GetFileSystemInfos());
    }

    private Task<ProcessResult> Run(params string[] extra) => Scripts.RunAsync("create-token.sh",
        ["--user", Environment.UserName, "--label", "agent", "--store", Store, "--tcti", tpm.Tcti, "--module", tpm.Simulator.ModulePath,
         "--pin-file", PinFile, "--so-pin-file", SoPinFile, "--env-file", EnvFile, .. extra],
        tpm.BusEnvironment);

    private async Task<ProcessResult> Pkcs11Tool(params string[] arguments)
    {
        var environment = new Dictionary<string, string>(tpm.BusEnvironment)
        {
            ["TPM2_PKCS11_STORE"] = Store,
            ["TPM2_PKCS11_TCTI"] = tpm.Tcti,
            ["AGENT_PIN"] = File.Exists(PinFile) ? await File.ReadAllTextAsync(PinFile) : "",
        };
        return await ExternalProcess.RunAsync(ExternalProcess.Require("pkcs11-tool", "opensc"),
            ["--module", tpm.Simulator.ModulePath, .. arguments], environment);
    }
}
