using System.Security.Cryptography;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.Tests.Doctor;

/// <summary>Command-line and configuration errors: exit code 2, a message naming the option or key, nothing attempted.</summary>
public sealed class DoctorUsageTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("doctor-usage.");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Missing_key_is_a_usage_error_naming_it()
    {
        var result = await AgentProcess.RunAsync(["doctor", "--chain", "/tmp/x.pem"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("identity.key is not set", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: deviceagent doctor --help", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pin_is_never_accepted_on_the_command_line()
    {
        var result = await AgentProcess.RunAsync(["doctor", "--pin", "1234"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'--pin'", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_with_an_unknown_key_names_it()
    {
        var config = Path.Combine(_dir.FullName, "agent.json");
        await File.WriteAllTextAsync(config, """{ "identity": { "key": "pkcs11:token=t;object=k", "chian": "/x.pem" } }""");

        var result = await AgentProcess.RunAsync(["doctor", "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"configuration file '{config}' is not valid at identity.chian", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_that_does_not_exist_is_named()
    {
        var result = await AgentProcess.RunAsync(["doctor", "--config", "/nonexistent/agent.json"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("configuration file '/nonexistent/agent.json' does not exist", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Software_key_is_refused_unless_allowed_and_then_warned_about()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyPath = Path.Combine(_dir.FullName, "device.key");
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        using var chain = DeviceAgent.TestPeers.TestChain.Create();
        using var leaf = chain.IssueLeaf(key.ExportSubjectPublicKeyInfo(), "dev-device");
        var chainPath = Path.Combine(_dir.FullName, "chain.pem");
        await File.WriteAllTextAsync(chainPath, chain.BundlePem(leaf));
        string[] arguments = ["doctor", "--key", "file:" + keyPath, "--chain", chainPath];

        var refused = await AgentProcess.RunAsync(arguments);
        var allowed = await AgentProcess.RunAsync([.. arguments, "--allow-software-key"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("[FAILED ] device key exists and never left the token", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("can be copied off the device", refused.StandardOutput, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.Transcript);
        Assert.Contains("[warning] device key exists and never left the token", allowed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[skipped] PKCS#11 module loads: the key is a software key in a file: no token", allowed.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_options_and_exit_codes()
    {
        var result = await AgentProcess.RunAsync(["doctor", "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--config", "--module", "--key", "--pin-file", "--chain", "--trust", "--tls-probe", "--json" })
            Assert.Contains(option, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 all passed, 1 a check failed, 2 bad options or configuration", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tpm:handle=0x81000101", "tcp:localhost:2321", "identity.tpm: TPM spec 'tcp:localhost:2321'")]
    [InlineData("pkcs11:token=t;object=k", "device:/dev/tpmrm0", "identity.tpm is set, but identity.key 'pkcs11:token=t;object=k' is not a key in the TPM")]
    public async Task A_wrong_identity_tpm_is_a_usage_error_naming_it(string key, string tpm, string expected)
    {
        var result = await AgentProcess.RunAsync(["doctor", "--key", key, "--tpm", tpm, "--chain", "/tmp/x.pem", "--module", "/x.so", "--pin-file", "/x"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }
}
