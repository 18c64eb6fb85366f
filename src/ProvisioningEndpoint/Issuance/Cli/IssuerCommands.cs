using System.CommandLine;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Requests;

namespace ProvisioningEndpoint.Issuance.Cli;

/// <summary>
/// <c>provisioning-endpoint issuer</c>: the endpoint's issuing CAs (certificate issuance for
/// enrollments with a <c>clientCertificateIssuancePolicy</c>). Exit codes: 0 done, 1 refused or
/// failed (the reason on stderr), 2 bad options.
/// </summary>
public static class IssuerCommands
{
    /// <summary>The command group.</summary>
    public static Command Build()
    {
        var command = new Command("issuer", "the endpoint's issuing CAs, whose keys stay in the data directory (encrypted) or in a PKCS#11 token");
        command.Subcommands.Add(IssuerImportCommand.Build());
        command.Subcommands.Add(IssuerRequestCommand.Build());
        command.Subcommands.Add(IssuerListCommand.Build());
        return command;
    }

    internal static Option<string> DataDirectory() => new("--data-dir") { Description = "the endpoint's data directory", Required = true, HelpName = "DIR" };

    internal static Option<string> Name(string what) => new("--name") { Description = what, Required = true, HelpName = "NAME" };

    /// <summary>Runs an action: usage errors exit 2, refusals 1, each with one line on stderr and a hint.</summary>
    internal static void SetAction(Command command, Func<ParseResult, int> action) => command.SetAction(parse =>
    {
        try
        {
            return action(parse);
        }
        catch (IssuerUsageException e)
        {
            Console.Error.WriteLine($"provisioning-endpoint: error: {e.Message}");
            Console.Error.WriteLine($"hint: {e.Hint ?? $"provisioning-endpoint {string.Join(' ', parse.CommandResult.Command.Name)} --help"}");
            return 2;
        }
        catch (Exception e) when (e is CertificateAuthorityException or KeyCustodyException or CertificationRequestException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"provisioning-endpoint: error: {e.Message}");
            Console.Error.WriteLine("hint: nothing was changed; correct the input and run the command again");
            return 1;
        }
    });
}

/// <summary>Options that do not fit together, or are missing.</summary>
internal sealed class IssuerUsageException(string message, string? hint = null) : Exception(message)
{
    public string? Hint { get; } = hint;
}
