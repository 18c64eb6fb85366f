using System.CommandLine;
using DeviceAgent.Pki.Authority;

namespace Factory.Cli;

/// <summary>Reads a CA name option, checked as the store checks it.</summary>
internal static class CaName
{
    /// <exception cref="UsageException">The name is not usable.</exception>
    public static string From(ParseResult parse, Option<string> option)
    {
        var name = parse.GetRequiredValue(option);
        return CaStore.FindNameProblem(name) is { } problem
            ? throw new UsageException($"{option.Name}: {problem}", "CA names are directory names: letters, digits, '-', '_', '.'")
            : name;
    }
}
