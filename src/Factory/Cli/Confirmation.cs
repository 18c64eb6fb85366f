namespace Factory.Cli;

/// <summary>
/// Asking before a risky change: <c>--yes</c> confirms; otherwise an interactive terminal is asked
/// (on stderr); without one the command stops and says to pass --yes.
/// </summary>
internal static class Confirmation
{
    /// <summary>Returns when confirmed.</summary>
    /// <exception cref="UsageException">Not confirmed (nothing was changed).</exception>
    public static void Require(bool yes, string question, string refusal, string hint)
    {
        if (yes)
            return;
        if (!Console.IsInputRedirected && !Console.IsErrorRedirected)
        {
            Console.Error.Write($"{Reporter.Prefix}: {question} [y/N] ");
            var answer = Console.ReadLine()?.Trim();
            if (string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                return;
        }
        throw new UsageException(refusal, hint);
    }
}
