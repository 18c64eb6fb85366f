using System.CommandLine;

namespace Factory.Cli;

/// <summary>Runs a command's body and turns the failures of our exception families into messages and exit codes.</summary>
internal static class CommandRunner
{
    /// <summary>The --json option every command has.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "print the result as one JSON document on stdout (errors too)" };

    /// <summary>The --ca-dir option of the commands that use the CA store.</summary>
    public static Option<string> CaDirectoryOption() => new("--ca-dir")
    {
        Description = "the CA store directory",
        DefaultValueFactory = _ => "./ca",
        HelpName = "DIR",
    };

    public static void SetAction(Command command, Option<bool> json, string name, Func<ParseResult, Reporter, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(parse.GetValue(json));
            try
            {
                return await body(parse, reporter, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Failure.TryFrom(e, name, out var failure))
            {
                reporter.Fail(failure);
                return failure.ExitCode;
            }
        });
}
