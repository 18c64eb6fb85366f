using System.CommandLine;
using DeviceAgent.Keys;
using Factory.Cli;

namespace Factory.Commands.Device;

/// <summary>The device's token: module, key URI (or a URI template for a batch) and where its PIN comes from.</summary>
internal sealed class DeviceKeyOptions(bool template)
{
    public Option<string?> Module { get; } = new("--module") { Description = "PKCS#11 module of the device's token (TPM: libtpm2_pkcs11.so)", HelpName = "PATH" };

    public Option<string?> Key { get; } = template
        ? new("--key-template")
        {
            Description = "PKCS#11 URI of each device key, {id} standing for the registration id, e.g. \"pkcs11:token=devices;object={id}\"",
            HelpName = "URI",
        }
        : new("--key") { Description = "PKCS#11 URI of the device key, generated inside the token when absent, e.g. pkcs11:token=device;object=identity", HelpName = "PKCS11-URI" };

    public Option<string?> PinFile { get; } = new("--pin-file") { Description = "file holding the token's user PIN", HelpName = "FILE" };

    public Option<string?> PinEnv { get; } = new("--pin-env") { Description = "environment variable holding the token's user PIN", HelpName = "VAR" };

    public void AddTo(Command command, bool required)
    {
        Module.Required = required;
        Key.Required = required;
        command.Options.Add(Module);
        command.Options.Add(Key);
        command.Options.Add(PinFile);
        command.Options.Add(PinEnv);
    }

    /// <summary>True when any of the token options was given.</summary>
    public bool Given(ParseResult parse) => parse.GetValue(Module) is not null || parse.GetValue(Key) is not null;

    /// <summary>The key reference, with <c>{id}</c> replaced by <paramref name="registrationId"/> for a template.</summary>
    /// <exception cref="UsageException">An option is missing or the URI is malformed.</exception>
    public KeyReference Resolve(ParseResult parse, string? registrationId = null)
    {
        var uri = parse.GetValue(Key) ?? throw new UsageException($"{Key.Name} is required to generate device keys", "name the device key as a PKCS#11 URI");
        // A tpm:handle= key lives in the TPM through our stack: no PKCS#11 module; its auth value (PIN) is optional.
        var inTpm = uri.StartsWith("tpm:", StringComparison.OrdinalIgnoreCase);
        var module = parse.GetValue(Module) ?? (inTpm ? null : throw new UsageException($"{Module.Name} is required to generate device keys", "name the device token's PKCS#11 module"));
        var pin = CaKeyOptions.Secret(parse, PinFile, PinEnv, "PIN")
            ?? (inTpm ? null : throw new UsageException("the device token's PIN is needed: --pin-file FILE or --pin-env VAR (never on the command line)"));
        if (template)
        {
            if (!uri.Contains("{id}", StringComparison.Ordinal))
                throw new UsageException($"{Key.Name} must contain {{id}}, which stands for each registration id, e.g. \"pkcs11:token=devices;object={{id}}\"");
            // RFC 7512 2.3: the id goes into a path attribute, percent-encoded where the URI syntax needs it.
            uri = uri.Replace("{id}", Uri.EscapeDataString(registrationId ?? ""), StringComparison.Ordinal);
        }
        try
        {
            return KeyReference.Parse(uri, module, pin?.ToPinSource());
        }
        catch (KeyCustodyException e)
        {
            throw new UsageException($"{Key.Name}: {e.Message}", "write the key as an RFC 7512 URI: pkcs11:token=LABEL;object=LABEL", e);
        }
    }
}
