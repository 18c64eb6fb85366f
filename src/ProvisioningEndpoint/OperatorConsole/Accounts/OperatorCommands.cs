using System.CommandLine;
using System.Text.RegularExpressions;
using ProvisioningEndpoint.Cli;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Accounts;

/// <summary>
/// <c>provisioning-endpoint operator add --data-dir D --name N --password-file F</c>: adds a console
/// operator, or sets a new password for one (which ends that operator's sessions). The password
/// comes from a file, never the command line (arguments are readable by every user in /proc);
/// one trailing newline is not part of it. Rerunning with the same file is safe.
/// </summary>
internal static partial class OperatorCommands
{
    public static Command Build()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "the data directory (initialised by 'serve')", Required = true, HelpName = "DIR" };
        var name = new Option<string>("--name") { Description = "the operator's sign-in name: 1-64 of A-Z a-z 0-9 . _ @ -", Required = true, HelpName = "NAME" };
        var passwordFile = new Option<string>("--password-file")
        {
            Description = $"a file holding the password ({OperatorPasswords.MinimumLength} to {OperatorPasswords.MaximumLength} characters; one trailing newline is ignored)",
            Required = true,
            HelpName = "FILE",
        };
        var add = new Command("add",
            "add a console operator, or set a new password for an existing one (its sessions end). Exit codes: 0 added or updated, 1 refused, 2 bad options.")
        {
            dataDir, name, passwordFile,
        };
        add.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await AddAsync(parse.GetRequiredValue(dataDir), parse.GetRequiredValue(name), parse.GetRequiredValue(passwordFile), cancellationToken).ConfigureAwait(false);
            }
            catch (OperatorUsageException e)
            {
                await Console.Error.WriteLineAsync($"provisioning-endpoint: {e.Message}").ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"hint: {e.Hint}").ConfigureAwait(false);
                return e.ExitCode;
            }
        });
        return new Command("operator", "manage the operator console's accounts (the console is at https://HOST:REST-PORT/console; 'info' prints consoleUrl)") { add };
    }

    private static async Task<int> AddAsync(string dataDirectory, string name, string passwordFile, CancellationToken cancellationToken)
    {
        if (!NamePattern().IsMatch(name))
            throw new OperatorUsageException(ExitCodes.UsageError, $"--name '{name}' is not an operator name", "use 1-64 of A-Z a-z 0-9 . _ @ -");
        var data = new EndpointDataDirectory(dataDirectory);
        if (!data.IsInitialized)
        {
            throw new OperatorUsageException(ExitCodes.Failed, $"'{data.Path}' is not an initialised data directory",
                $"run 'provisioning-endpoint serve --data-dir {data.Path}' once");
        }
        var password = await ReadPasswordAsync(passwordFile, cancellationToken).ConfigureAwait(false);
        if (OperatorPasswords.Problem(password) is { } problem)
            throw new OperatorUsageException(ExitCodes.Failed, $"the password in '{passwordFile}' {problem}", "write a longer passphrase into the file (e.g. four random words)");

        var hash = await OperatorPasswords.HashAsync(password, cancellationToken).ConfigureAwait(false);
        var store = await SqliteProvisioningStore.OpenAsync(data.DatabaseFile, cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var existing = await store.GetOperatorAsync(name, cancellationToken).ConfigureAwait(false);
        var created = await store.PutOperatorAsync(new OperatorAccount(name, hash, existing?.CreatedUtc ?? now, now), cancellationToken).ConfigureAwait(false);
        await Console.Out.WriteLineAsync(created
            ? $"operator '{name}' added; sign in at the console ('provisioning-endpoint info --data-dir {data.Path}' prints its URL)"
            : $"operator '{name}' has a new password; its console sessions were ended").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<string> ReadPasswordAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OperatorUsageException(ExitCodes.Failed, $"cannot read the password file '{path}': {e.Message}", "give a readable file with --password-file");
        }
        if (text.EndsWith("\r\n", StringComparison.Ordinal))
            return text[..^2];
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex NamePattern();
}

/// <summary>An <c>operator</c> command refused: the message, a hint line, and the exit code.</summary>
internal sealed class OperatorUsageException(int exitCode, string message, string hint) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public string Hint { get; } = hint;
}
