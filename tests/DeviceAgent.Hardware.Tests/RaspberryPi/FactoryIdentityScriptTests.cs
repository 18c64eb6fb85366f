using DeviceAgent.Hardware.Tests.Support;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Hardware.Tests.RaspberryPi;

/// <summary>
/// factory-identity.sh with a stand-in for bringup (the CLI is built in another issue): the stub
/// records its arguments, so the test pins the documented contract
/// `bringup device create --module PATH --key PKCS11-URI --pin-file FILE --registration-id ID --issuer NAME --out DIR`,
/// and writes a real chain (root -> leaf, CN = the registration id) made with openssl.
/// </summary>
public sealed class FactoryIdentityScriptTests : IDisposable
{
    private const string StubBringup = """
        #!/usr/bin/env bash
        set -euo pipefail
        echo call >> "$STUB_DIR/calls"
        printf '%s\n' "$@" > "$STUB_DIR/args"
        env > "$STUB_DIR/env"
        if [ -n "${STUB_FAIL:-}" ]; then echo "bringup: error: issuer 'line-9' does not exist" >&2; exit 3; fi
        out=""; id=""
        while [ $# -gt 0 ]; do
          case "$1" in --out) out=$2; shift 2;; --registration-id) id=${STUB_CN:-$2}; shift 2;; *) shift;; esac
        done
        cd "$out"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem -days 1 \
          -subj "/CN=Stub Root" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -subj "/CN=$id" 2>/dev/null |
          openssl x509 -req -CA root.pem -CAkey root.key -CAcreateserial -days 1 -out chain.pem 2>/dev/null
        rm -f root.key leaf.key root.srl
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("deviceagent-factory-");

    public FactoryIdentityScriptTests()
    {
        File.WriteAllText(Bringup, StubBringup.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(Bringup, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Module, "not really a module: the stub never loads it");
        File.WriteAllText(PinFile, "0123456789abcdef01234567");
        File.WriteAllText(EnvFile, $"TPM2_PKCS11_STORE={_dir.FullName}/store\nTPM2_PKCS11_TCTI=device:/dev/tpmrm0\nLD_PRELOAD=/nope.so\n");
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "store"));
    }

    private string Bringup => Path.Combine(_dir.FullName, "bringup");

    private string Module => Path.Combine(_dir.FullName, "libtpm2_pkcs11.so");

    private string PinFile => Path.Combine(_dir.FullName, "user.pin");

    private string EnvFile => Path.Combine(_dir.FullName, "tpm2-pkcs11.env");

    private string IdentityDir => Path.Combine(_dir.FullName, "state");

    private string CaDir => Path.Combine(_dir.FullName, "ca");

    private int Calls => File.Exists(Path.Combine(_dir.FullName, "calls")) ? File.ReadAllLines(Path.Combine(_dir.FullName, "calls")).Length : 0;

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Calls_bringup_with_the_documented_contract_and_installs_chain_and_root()
    {
        var result = await Run("dev-001");
        Assert.True(result.ExitCode == 0, result.Transcript);

        var args = await File.ReadAllLinesAsync(Path.Combine(_dir.FullName, "args"));
        Assert.Equal(["device", "create", "--module", Module, "--key", "pkcs11:token=device;object=device-key", "--pin-file", PinFile,
            "--registration-id", "dev-001", "--issuer", "line-a", "--ca-dir", CaDir, "--out"], args[..^1]);
        Assert.False(Directory.Exists(args[^1]), "the temporary output directory is removed");

        var environment = await File.ReadAllTextAsync(Path.Combine(_dir.FullName, "env"));
        Assert.Contains($"TPM2_PKCS11_STORE={_dir.FullName}/store\n", environment, StringComparison.Ordinal);
        Assert.Contains("TPM2_PKCS11_TCTI=device:/dev/tpmrm0\n", environment, StringComparison.Ordinal);
        Assert.DoesNotContain("LD_PRELOAD", environment, StringComparison.Ordinal);

        foreach (var file in new[] { "chain.pem", "root.pem" })
        {
            var path = Path.Combine(IdentityDir, file);
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        }
        Assert.Contains($"\"chain\": \"{IdentityDir}/chain.pem\"", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"\"pinFile\": \"{PinFile}\"", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rerun_for_the_same_device_changes_nothing_and_force_issues_again()
    {
        Assert.Equal(0, (await Run("dev-001")).ExitCode);
        var chain = await File.ReadAllTextAsync(Path.Combine(IdentityDir, "chain.pem"));

        var again = await Run("dev-001");
        Assert.True(again.ExitCode == 0, again.Transcript);
        Assert.Contains("already holds the identity of 'dev-001'; nothing to do", again.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, Calls);
        Assert.Equal(chain, await File.ReadAllTextAsync(Path.Combine(IdentityDir, "chain.pem")));

        var forced = await Run("dev-001", "--force");
        Assert.True(forced.ExitCode == 0, forced.Transcript);
        Assert.Equal(2, Calls);
        Assert.NotEqual(chain, await File.ReadAllTextAsync(Path.Combine(IdentityDir, "chain.pem")));
    }

    [Fact]
    public async Task Another_devices_identity_is_not_replaced_without_force()
    {
        Assert.Equal(0, (await Run("dev-001")).ExitCode);
        var result = await Run("dev-002");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("holds the identity of 'dev-001', not 'dev-002'", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, Calls);
    }

    [Fact]
    public async Task A_failing_bringup_installs_nothing()
    {
        var result = await Run("dev-001", environment: new() { ["STUB_FAIL"] = "1" });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bringup: error: issuer 'line-9' does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("bringup device create failed (exit 3); nothing was installed", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(IdentityDir) && Directory.EnumerateFileSystemEntries(IdentityDir).Any());
    }

    [Fact]
    public async Task A_leaf_for_another_registration_id_is_refused()
    {
        var result = await Run("dev-001", environment: new() { ["STUB_CN"] = "someone-else" });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the leaf bringup issued has CN 'someone-else', not 'dev-001'; nothing was installed", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(IdentityDir, "chain.pem")));
    }

    [Fact]
    public async Task Dry_run_prints_the_command_and_runs_nothing()
    {
        var result = await Run("dev-001", "--dry-run");
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("would: run: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("device create --module", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, Calls);
        Assert.False(Directory.Exists(IdentityDir));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public async Task An_invalid_registration_id_is_refused_before_bringup_runs(string id)
    {
        var result = await Run(id);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{id}' is not a valid DPS registration id", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, Calls);
    }

    [Fact]
    public async Task A_missing_bringup_says_how_to_point_at_it()
    {
        var result = await Scripts.RunAsync("factory-identity.sh", ["--registration-id", "dev-001", "--issuer", "line-a",
            "--bringup", Path.Combine(_dir.FullName, "nope"), "--module", Module, "--pin-file", PinFile]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("hint: install it or pass its path with --bringup PATH", result.StandardError, StringComparison.Ordinal);
    }

    private Task<ProcessResult> Run(string registrationId, string? flag = null, Dictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>(environment ?? []) { ["STUB_DIR"] = _dir.FullName };
        string[] arguments = ["--registration-id", registrationId, "--issuer", "line-a", "--bringup", Bringup, "--ca-dir", CaDir,
            "--module", Module, "--pin-file", PinFile, "--env-file", EnvFile, "--identity-dir", IdentityDir, "--user", Environment.UserName];
        return Scripts.RunAsync("factory-identity.sh", flag is null ? arguments : [.. arguments, flag], variables);
    }
}
