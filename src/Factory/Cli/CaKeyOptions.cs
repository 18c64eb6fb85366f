using System.CommandLine;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;

namespace Factory.Cli;

/// <summary>
/// Where a new CA's key lives: an encrypted PKCS#8 file in the store (--passphrase-file or
/// --passphrase-env) or a PKCS#11 token (--module, --key, --pin-file or --pin-env). Secrets come
/// from files or environment variables, never from the command line.
/// </summary>
internal sealed class CaKeyOptions
{
    public Option<string?> PassphraseFile { get; } = new("--passphrase-file")
    {
        Description = "keep the CA key in the store as encrypted PKCS#8; the file holds its passphrase",
        HelpName = "FILE",
    };

    public Option<string?> PassphraseEnv { get; } = new("--passphrase-env")
    {
        Description = "as --passphrase-file, with the passphrase in this environment variable",
        HelpName = "VAR",
    };

    public Option<string?> Module { get; } = new("--module") { Description = "PKCS#11 module of the HSM or TPM holding the CA key", HelpName = "PATH" };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "PKCS#11 URI of the CA key, generated inside the token when absent (e.g. pkcs11:token=ca;object=root-ca)",
        HelpName = "PKCS11-URI",
    };

    public Option<string?> PinFile { get; } = new("--pin-file") { Description = "file holding the token's user PIN", HelpName = "FILE" };

    public Option<string?> PinEnv { get; } = new("--pin-env") { Description = "environment variable holding the token's user PIN", HelpName = "VAR" };

    public void AddTo(Command command)
    {
        command.Options.Add(PassphraseFile);
        command.Options.Add(PassphraseEnv);
        command.Options.Add(Module);
        command.Options.Add(Key);
        command.Options.Add(PinFile);
        command.Options.Add(PinEnv);
    }

    /// <summary>The key location the options describe.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="allowNone">True when no key at all is acceptable (importing a certificate alone).</param>
    /// <exception cref="UsageException">The options are missing, mixed or malformed.</exception>
    public CaKeyLocation Resolve(ParseResult parse, bool allowNone = false)
    {
        var passphrase = Secret(parse, PassphraseFile, PassphraseEnv, "passphrase");
        var module = parse.GetValue(Module);
        var key = parse.GetValue(Key);
        var pin = Secret(parse, PinFile, PinEnv, "PIN");
        var token = module is not null || key is not null || pin is not null;
        if (passphrase is not null && token)
        {
            throw new UsageException("the CA key is either in an encrypted file (--passphrase-file/--passphrase-env) or in a token (--module, --key, --pin-file), not both",
                "pick one place for the CA key");
        }
        if (passphrase is not null)
            return CaKeyLocation.EncryptedFile(passphrase);
        if (!token)
        {
            if (allowNone)
                return CaKeyLocation.None;
            throw new UsageException("say where the CA key lives: --passphrase-file FILE (encrypted PKCS#8 in the store) or --module PATH --key PKCS11-URI --pin-file FILE (HSM or TPM)",
                "a CA key is never kept unencrypted");
        }
        if (module is null || key is null || pin is null)
        {
            var missing = string.Join(", ", new[] { module is null ? "--module" : null, key is null ? "--key" : null, pin is null ? "--pin-file (or --pin-env)" : null }.OfType<string>());
            throw new UsageException($"a CA key in a token needs --module, --key and --pin-file (or --pin-env); missing: {missing}", "name the token's module, the key's PKCS#11 URI and where its PIN is");
        }
        try
        {
            _ = KeyReference.Parse(key, module, pin.ToPinSource());
        }
        catch (KeyCustodyException e)
        {
            throw new UsageException(e.Message, "write the key as an RFC 7512 URI: pkcs11:token=LABEL;object=LABEL", e);
        }
        return CaKeyLocation.Pkcs11(key, module, pin);
    }

    /// <summary>A secret source from a file option or an environment-variable option (not both).</summary>
    /// <exception cref="UsageException">Both are given.</exception>
    public static SecretSource? Secret(ParseResult parse, Option<string?> file, Option<string?> variable, string what)
    {
        var path = parse.GetValue(file);
        var name = parse.GetValue(variable);
        if (path is not null && name is not null)
            throw new UsageException($"give the {what} either in a file ({file.Name}) or in a variable ({variable.Name}), not both");
        return path is not null ? SecretSource.FromFile(path) : name is not null ? SecretSource.FromEnvironment(name) : null;
    }
}
