using Spectre.Console;

namespace Factory.Output;

/// <summary>
/// Spectre consoles for stdout and stderr: colours and live rendering on a terminal; plain text,
/// no escape codes and no wrapping of thumbprints when the stream goes to a file or a pipe.
/// </summary>
internal static class Terminals
{
    public static IAnsiConsole Stdout() => Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Stderr() => Create(Console.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
            console.Profile.Width = 200;
        return console;
    }
}
