using System.CommandLine;
using DeviceAgent.Pki.Authority;
using Factory.Cli;

namespace Factory.Commands.Ca;

/// <summary><c>bringup ca upload</c>: put a CA's certificate on the provisioning service (Unverified).</summary>
internal static class UploadCommand
{
    public static Command Build()
    {
        var ca = new Option<string>("--ca") { Description = "the CA of the store whose certificate to upload (under the same name); its key is not used", Required = true, HelpName = "NAME" };
        var caDir = CommandRunner.CaDirectoryOption();
        var endpoint = new EndpointOptions();
        var json = CommandRunner.JsonOption();
        var command = new Command("upload",
            "upload a CA's certificate to the provisioning service, where it starts Unverified; 'bringup ca verify' then proves possession " +
            "of its key. Rerunning does nothing when the service has it already. " + ExitCodes.Help)
        {
            ca, caDir,
        };
        endpoint.AddTo(command);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "ca upload", async (parse, reporter, cancellationToken) =>
        {
            using var entry = new CaStore(parse.GetRequiredValue(caDir)).Get(CaName.From(parse, ca));
            using var client = endpoint.Connect(parse);
            var (resource, uploaded) = await ServiceCertificates.EnsureUploadedAsync(client, entry.Name, entry.Certificate, cancellationToken);
            ServiceCertificates.Report(reporter,
                uploaded ? $"uploaded CA '{entry.Name}' to {client.HostName}" : $"CA '{entry.Name}' is on {client.HostName} already",
                uploaded ? "uploaded" : "already-uploaded", resource);
            if (resource.Properties?.IsVerified != true)
                reporter.Line($"next: bringup ca verify --ca {entry.Name} (proof of possession of its key)");
            return ExitCodes.Success;
        });
        return command;
    }
}
