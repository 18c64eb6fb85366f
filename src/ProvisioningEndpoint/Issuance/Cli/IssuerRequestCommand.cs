using System.CommandLine;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Profiles;
using DeviceAgent.Pki.Requests;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Issuance.Cli;

/// <summary>
/// <c>provisioning-endpoint issuer create-request</c>: the endpoint makes an issuer's key (in its data
/// directory, encrypted, or in a token) and writes a PKCS#10 request for a CA to sign
/// (<c>bringup ca sign-request</c>); <c>issuer import --cert</c> then completes it. The key never
/// leaves the endpoint. Rerunning reuses the key.
/// </summary>
internal static class IssuerRequestCommand
{
    public static Command Build()
    {
        var dataDir = IssuerCommands.DataDirectory();
        var name = IssuerCommands.Name("the issuer's name, as enrollment policies name it");
        var subject = new Option<string>("--subject") { Description = "the issuer's subject, e.g. \"CN=Line A issuer, O=Contoso\"", Required = true, HelpName = "DN" };
        var output = new Option<string>("--out") { Description = "where to write the request (PEM)", Required = true, HelpName = "FILE" };
        var passphraseFile = new Option<string?>("--passphrase-file") { Description = "keep the key in the data directory, encrypted with the passphrase in this file", HelpName = "FILE" };
        var token = new IssuerKeyOptions();
        var command = new Command("create-request",
            "make an issuer's key (EC P-256) in the data directory (--passphrase-file) or inside a token (--module, --key, --pin-file) and write " +
            "a certificate request for it; have a CA sign it (bringup ca sign-request), then 'provisioning-endpoint issuer import --name NAME " +
            "--cert FILE'. Exit codes: 0 written, 1 refused, 2 bad options.")
        {
            dataDir, name, subject, output, passphraseFile,
        };
        token.AddTo(command);
        IssuerCommands.SetAction(command, parse =>
        {
            var issuerName = parse.GetRequiredValue(name);
            if (CaStore.FindNameProblem(issuerName) is { } problem)
                throw new IssuerUsageException($"--name: {problem}");
            var data = parse.GetRequiredValue(dataDir);
            if (new IssuerStore(data).Contains(issuerName))
                throw new IssuerUsageException($"issuer '{issuerName}' exists already", "choose another --name");
            System.Security.Cryptography.X509Certificates.X500DistinguishedName dn;
            try
            {
                dn = DistinguishedNames.Parse(parse.GetRequiredValue(subject));
            }
            catch (ArgumentException e)
            {
                throw new IssuerUsageException($"--subject: {e.Message}", "write a distinguished name with a CN, e.g. --subject \"CN=Line A issuer\"");
            }
            var location = token.ResolveToken(parse);
            var passphrase = parse.GetValue(passphraseFile) is { } file ? SecretSource.FromFile(file) : null;
            if ((location is null) == (passphrase is null))
            {
                throw new IssuerUsageException("say where the key is made: --passphrase-file FILE (encrypted in the data directory) or --module, --key and --pin-file (a token), one of them");
            }
            var (pending, key) = PendingIssuerKey.Prepare(data, issuerName, passphrase, location);
            using (key)
            {
                var request = CertificationRequest.Create(key, dn);
                DataFiles.WriteAtomically(Path.GetFullPath(parse.GetRequiredValue(output)), request.ToPem(), secret: false);
            }
            Console.Out.WriteLine($"wrote the request of issuer '{issuerName}' ({dn.Name}) to {parse.GetRequiredValue(output)}; its key is {pending.Location}");
            Console.Out.WriteLine($"next: have a CA sign it (bringup ca sign-request --csr FILE ...), then provisioning-endpoint issuer import --data-dir {data} --name {issuerName} --cert CERT");
            return 0;
        });
        return command;
    }
}
