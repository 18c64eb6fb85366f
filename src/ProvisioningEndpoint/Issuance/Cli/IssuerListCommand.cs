using System.CommandLine;

namespace ProvisioningEndpoint.Issuance.Cli;

/// <summary><c>provisioning-endpoint issuer list</c>: the issuers, their subjects, validity and where their keys are.</summary>
internal static class IssuerListCommand
{
    public static Command Build()
    {
        var dataDir = IssuerCommands.DataDirectory();
        var command = new Command("list", "list the endpoint's issuers: name, subject, end of validity, key. Exit codes: 0 listed.") { dataDir };
        IssuerCommands.SetAction(command, parse =>
        {
            var issuers = new IssuerStore(parse.GetRequiredValue(dataDir));
            if (!Directory.Exists(issuers.Path))
                return 0;
            foreach (var name in issuers.Store.Names)
            {
                using var entry = issuers.Store.Get(name);
                Console.Out.WriteLine($"{name}\t{entry.Certificate.Subject}\tuntil {entry.Certificate.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}\t{entry.Key}");
            }
            return 0;
        });
        return command;
    }
}
