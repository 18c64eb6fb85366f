using System.CommandLine;
using DeviceAgent.Pki.Authority;
using Factory.Cli;
using Factory.Output;

namespace Factory.Commands.Ca;

/// <summary><c>bringup ca list</c>: the CA certificates on the provisioning service, and which CA of the store each is.</summary>
internal static class ListCommand
{
    public static Command Build()
    {
        var caDir = CommandRunner.CaDirectoryOption();
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("list",
            "list the CA certificates on the provisioning service: name, subject, SHA-1 thumbprint, Verified or not, expiry, and the CA of " +
            "the store (--ca-dir) that has the same certificate. " + ExitCodes.Help)
        {
            caDir,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "ca list", async (parse, reporter, cancellationToken) =>
        {
            var local = LocalThumbprints(new CaStore(parse.GetRequiredValue(caDir)));
            using var client = endpoint.Connect(parse);
            var items = (await client.ListCertificatesAsync(cancellationToken)).Select(c => new ServiceCertificateItem(
                c.Name ?? "", c.Properties?.Subject, c.Properties?.Thumbprint, c.Properties?.IsVerified ?? false, c.Properties?.Expiry,
                c.Properties?.Thumbprint is { } t ? local.GetValueOrDefault(t) : null)).ToList();
            reporter.Result(new ServiceCertificateListResult(true, items), ManagementJson.Default.ServiceCertificateListResult);
            reporter.Line(items.Count == 0 ? $"no CA certificate on {client.HostName}" : $"{items.Count} CA certificate(s) on {client.HostName}:");
            foreach (var item in items)
            {
                reporter.Line($"  {item.Name,-20} {(item.Verified ? "Verified  " : "Unverified")}  {item.Thumbprint}  {item.Subject}" +
                    (item.Expiry is { } expiry ? $"  expires {TextFormat.Instant(expiry)}" : "") + (item.LocalCa is { } ca ? $"  (local CA '{ca}')" : ""));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, string> LocalThumbprints(CaStore store)
    {
        var thumbprints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in store.Names)
        {
            using var entry = store.Get(name);
            thumbprints.TryAdd(entry.Certificate.Thumbprint, name);
        }
        return thumbprints;
    }
}
