using System.CommandLine;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;

namespace ProvisioningEndpoint.Issuance.Cli;

/// <summary>
/// Where an issuer's key is: a PKCS#11 token (<c>--module</c>, <c>--key</c>, <c>--pin-file</c>), or
/// none (a file key is named by the command that uses it). Secrets come from files, never from
/// the command line.
/// </summary>
internal sealed class IssuerKeyOptions
{
    public Option<string?> Module { get; } = new("--module") { Description = "PKCS#11 module of the HSM or TPM holding the issuer's key", HelpName = "PATH" };

    public Option<string?> Key { get; } = new("--key") { Description = "PKCS#11 URI of the issuer's key (e.g. pkcs11:token=endpoint;object=line-a-issuer)", HelpName = "PKCS11-URI" };

    public Option<string?> PinFile { get; } = new("--pin-file") { Description = "file holding the token's user PIN", HelpName = "FILE" };

    public void AddTo(Command command)
    {
        command.Options.Add(Module);
        command.Options.Add(Key);
        command.Options.Add(PinFile);
    }

    /// <summary>The token key the options name; null when none of them is given.</summary>
    /// <exception cref="IssuerUsageException">Some are missing, or the URI is malformed.</exception>
    public CaKeyLocation? ResolveToken(ParseResult parse)
    {
        var module = parse.GetValue(Module);
        var key = parse.GetValue(Key);
        var pin = parse.GetValue(PinFile);
        if (module is null && key is null && pin is null)
            return null;
        if (module is null || key is null || pin is null)
        {
            var missing = string.Join(", ", new[] { module is null ? "--module" : null, key is null ? "--key" : null, pin is null ? "--pin-file" : null }.OfType<string>());
            throw new IssuerUsageException($"a key in a token needs --module, --key and --pin-file; missing: {missing}", "name the module, the key's PKCS#11 URI and the PIN file");
        }
        try
        {
            _ = KeyReference.Parse(key, module, PinSource.FromFile(pin));
        }
        catch (KeyCustodyException e)
        {
            throw new IssuerUsageException($"--key: {e.Message}", "write the key as an RFC 7512 URI: pkcs11:token=LABEL;object=LABEL");
        }
        return CaKeyLocation.Pkcs11(key, module, SecretSource.FromFile(pin));
    }
}
