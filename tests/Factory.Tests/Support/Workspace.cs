using DeviceAgent.TestPeers;

namespace Factory.Tests.Support;

/// <summary>
/// A fresh directory for one scenario (the CA store is <c>./ca</c> in it, bringup's default), the
/// simulated tokens, and the command-line fragments that name keys in them. Key labels are unique
/// per workspace, since the tokens live for the whole test run.
/// </summary>
internal sealed class Workspace : IDisposable
{
    public const string Passphrase = "factory line passphrase";

    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    public Workspace(TokenSimulators tokens)
    {
        Tokens = tokens;
        Path = Directory.CreateTempSubdirectory("bringup-").FullName;
        PassphraseFile = File("ca.pass", Passphrase + "\n");
    }

    public TokenSimulators Tokens { get; }

    public string Path { get; }

    public string PassphraseFile { get; }

    public string CaDirectory => In("ca");

    /// <summary>The options that put a CA key in SoftHSM2 under a label unique to this workspace.</summary>
    public string[] HsmKey(string label) =>
        ["--module", Tokens.SoftHsm.ModulePath, "--key", $"pkcs11:token={Tokens.SoftHsm.TokenLabel};object={label}-{_tag}", "--pin-file", Tokens.SoftHsm.PinFile];

    /// <summary>The options that put a CA key in an encrypted file in the store.</summary>
    public string[] FileKey() => ["--passphrase-file", PassphraseFile];

    /// <summary>The options that name a device key in the TPM, unique to this workspace.</summary>
    public string[] TpmKey(string label) =>
        ["--module", Tokens.Tpm.ModulePath, "--key", TpmUri(label), "--pin-file", Tokens.Tpm.PinFile];

    public string TpmUri(string label) => $"pkcs11:token={Tokens.Tpm.TokenLabel};object={label}-{_tag}";

    /// <summary>The batch options that generate each device's key in the TPM.</summary>
    public string[] TpmKeyTemplate() =>
        ["--module", Tokens.Tpm.ModulePath, "--key-template", $"pkcs11:token={Tokens.Tpm.TokenLabel};object={_tag}-{{id}}", "--pin-file", Tokens.Tpm.PinFile];

    public string In(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string File(string name, string contents)
    {
        var path = In(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, contents);
        return path;
    }

    /// <summary>Every file under <paramref name="directory"/>, relative; empty when it does not exist.</summary>
    public string[] FilesUnder(string directory) =>
        Directory.Exists(In(directory))
            ? [.. Directory.EnumerateFiles(In(directory), "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(Path, f)).Order(StringComparer.Ordinal)]
            : [];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
