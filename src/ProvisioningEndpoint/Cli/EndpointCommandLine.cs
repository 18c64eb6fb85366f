using System.CommandLine;

namespace ProvisioningEndpoint.Cli;

/// <summary>The <c>provisioning-endpoint</c> command line.</summary>
internal static class EndpointCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("provisioning-endpoint: a local, offline, DPS-compatible provisioning service with IoT-hub-style endpoints");
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(InfoCommand.Build());
        root.Subcommands.Add(Issuance.Cli.IssuerCommands.Build()); // cert-renewal
        root.Subcommands.Add(OperatorConsole.Accounts.OperatorCommands.Build()); // console
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync($"provisioning-endpoint: {error.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("hint: provisioning-endpoint --help").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        return await parse.InvokeAsync().ConfigureAwait(false);
    }
}
