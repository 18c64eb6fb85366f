using System.CommandLine;
using DeviceAgent.Pki.Authority;
using Factory.Cli;

namespace Factory.Commands.Ca;

/// <summary><c>bringup ca import</c>: bring a CA made with OpenSSL or certGen.sh into the store.</summary>
internal static class ImportCommand
{
    public static Command Build()
    {
        var name = new Option<string>("--name") { Description = "the CA's name in the store", Required = true, HelpName = "NAME" };
        var certificate = new Option<string>("--cert") { Description = "the CA certificate, PEM or DER", Required = true, HelpName = "FILE" };
        var issuer = new Option<string?>("--issuer") { Description = "the CA of the store that issued it (omit for a root)", HelpName = "NAME" };
        var keyFile = new Option<string?>("--key-file")
        {
            Description = "its private key: PKCS#8 (encrypted or not), SEC1, PKCS#1, or OpenSSL's traditional encrypted PEM; stored re-encrypted",
            HelpName = "FILE",
        };
        var keyPassphraseFile = new Option<string?>("--key-passphrase-file") { Description = "file holding the passphrase of --key-file", HelpName = "FILE" };
        var keyPassphraseEnv = new Option<string?>("--key-passphrase-env") { Description = "environment variable holding the passphrase of --key-file", HelpName = "VAR" };
        var key = new CaKeyOptions();
        var caDir = CommandRunner.CaDirectoryOption();
        var json = CommandRunner.JsonOption();
        var command = new Command("import",
            "import an existing CA (a hierarchy made with OpenSSL or certGen.sh keeps working): the certificate must be a CA certificate " +
            "with an acceptable key, issued by --issuer when given. The key is re-encrypted into the store (--passphrase-file or " +
            "--passphrase-env; the key's own passphrase when omitted), or referenced in its token (--module, --key, --pin-file), or left " +
            "out (certificate only: it completes chains but cannot sign). Rerunning with the same certificate does nothing. " + ExitCodes.Help)
        {
            name, certificate, issuer, keyFile, keyPassphraseFile, keyPassphraseEnv,
        };
        key.AddTo(command);
        command.Options.Add(caDir);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "ca import", (parse, reporter, _) =>
        {
            var keyPath = parse.GetValue(keyFile);
            var keyPassphrase = CaKeyOptions.Secret(parse, keyPassphraseFile, keyPassphraseEnv, "key file's passphrase");
            var location = key.Resolve(parse, allowNone: true);
            if (keyPath is not null && location.Kind == CaKeyKind.Pkcs11)
                throw new UsageException("--key-file imports a key file; --module/--key name a key already in a token: give one or the other");
            if (keyPath is not null && location.Kind == CaKeyKind.None)
            {
                location = keyPassphrase is not null
                    ? CaKeyLocation.EncryptedFile(keyPassphrase)
                    : throw new UsageException("the store keeps CA keys encrypted: give the passphrase to protect it with (--passphrase-file or --passphrase-env)");
            }
            if (keyPath is null && location.Kind == CaKeyKind.EncryptedFile)
                throw new UsageException("--passphrase-file/--passphrase-env protect an imported key: name the key with --key-file");
            var specification = new CaImportSpecification(CaName.From(parse, name), Path.GetFullPath(parse.GetRequiredValue(certificate)),
                parse.GetValue(issuer) is { } issuerName ? CaNameOf(issuerName) : null, keyPath is null ? null : Path.GetFullPath(keyPath),
                keyPassphrase, location);
            using var creation = CaImporter.Import(new CaStore(parse.GetRequiredValue(caDir)), specification, FactoryKeys.ForCas());
            CaCreationReport.Print(reporter, "CA", "imported", creation);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static string CaNameOf(string name) =>
        CaStore.FindNameProblem(name) is { } problem ? throw new UsageException($"--issuer: {problem}") : name;
}
