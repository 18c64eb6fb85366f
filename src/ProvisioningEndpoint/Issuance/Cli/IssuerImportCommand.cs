using System.CommandLine;
using DeviceAgent.Pki.Authority;

namespace ProvisioningEndpoint.Issuance.Cli;

/// <summary>
/// <c>provisioning-endpoint issuer import</c>: brings an issuing CA into the endpoint (the same store
/// format and checks as <c>bringup ca import</c>, <see cref="CaImporter"/>): its key re-encrypted into
/// the data directory, referenced in its token, or the key <c>issuer create-request</c> made; or a
/// certificate alone, to complete an issuer's chain. Rerunning with the same certificate does nothing.
/// </summary>
internal static class IssuerImportCommand
{
    public static Command Build()
    {
        var dataDir = IssuerCommands.DataDirectory();
        var name = IssuerCommands.Name("the issuer's name, as enrollment policies name it");
        var certificate = new Option<string>("--cert") { Description = "the issuer's CA certificate, PEM or DER", Required = true, HelpName = "FILE" };
        var parent = new Option<string?>("--parent") { Description = "the imported CA that issued it (imported first, certificate only), so devices get the whole chain", HelpName = "NAME" };
        var keyFile = new Option<string?>("--key-file") { Description = "its private key file (PKCS#8, SEC1, PKCS#1 or OpenSSL's encrypted PEM); stored re-encrypted", HelpName = "FILE" };
        var keyPassphraseFile = new Option<string?>("--key-passphrase-file")
        {
            Description = "file holding the passphrase of --key-file; the stored copy is encrypted with it, and the endpoint reads it when it issues",
            HelpName = "FILE",
        };
        var token = new IssuerKeyOptions();
        var command = new Command("import",
            "import an issuing CA: --key-file FILE --key-passphrase-file FILE (kept encrypted in the data directory), or --module, --key and --pin-file " +
            "(a key in a token), or nothing: the key 'issuer create-request' made for this name, else the certificate alone (a parent that completes chains). " +
            "It must be a CA certificate with an acceptable key, matching the key. Exit codes: 0 imported, 1 refused, 2 bad options.")
        {
            dataDir, name, certificate, parent, keyFile, keyPassphraseFile,
        };
        token.AddTo(command);
        IssuerCommands.SetAction(command, parse =>
        {
            var data = parse.GetRequiredValue(dataDir);
            var issuerName = parse.GetRequiredValue(name);
            var keyPath = parse.GetValue(keyFile);
            var passphrase = parse.GetValue(keyPassphraseFile) is { } file ? SecretSource.FromFile(file) : null;
            var location = token.ResolveToken(parse);
            if (keyPath is not null && location is not null)
                throw new IssuerUsageException("--key-file imports a key file; --module/--key/--pin-file name a key in a token: give one or the other");
            if (keyPath is not null && passphrase is null)
                throw new IssuerUsageException("the endpoint keeps issuer keys encrypted: give --key-passphrase-file with --key-file");
            if (keyPath is null && passphrase is not null)
                throw new IssuerUsageException("--key-passphrase-file goes with --key-file");
            var pending = keyPath is null && location is null ? PendingIssuerKey.Find(data, issuerName) : null;
            if (keyPath is not null)
                location = CaKeyLocation.EncryptedFile(passphrase!);
            else if (pending is not null)
            {
                location = pending.Location;
                if (location.Kind == CaKeyKind.EncryptedFile)
                {
                    keyPath = pending.KeyFile;
                    passphrase = location.Secret;
                }
            }
            var issuers = new IssuerStore(data);
            Directory.CreateDirectory(issuers.Path);
            var specification = new CaImportSpecification(issuerName, Path.GetFullPath(parse.GetRequiredValue(certificate)), parse.GetValue(parent),
                keyPath is null ? null : Path.GetFullPath(keyPath), passphrase, location ?? CaKeyLocation.None);
            using var creation = CaImporter.Import(issuers.Store, specification, IssuerStore.Keys);
            pending?.Complete();
            var verb = creation.AlreadyExisted ? "exists already" : "imported";
            Console.Out.WriteLine($"issuer '{issuerName}' {verb}: {creation.Entry.Certificate.Subject}, key: {creation.Entry.Key}");
            foreach (var warning in creation.Warnings)
                Console.Error.WriteLine($"provisioning-endpoint: warning: {warning}");
            return 0;
        });
        return command;
    }
}
