using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Factory.Output;

namespace Factory.Cli;

/// <summary>
/// Where a command's words go: results to stdout (text, or one JSON document with --json);
/// errors and notes to stderr, prefixed "bringup:", with a hint line. Not thread-safe.
/// </summary>
internal sealed class Reporter(bool json)
{
    public const string Prefix = "bringup";

    /// <summary>True when stdout carries JSON only.</summary>
    public bool Json { get; } = json;

    /// <summary>A line of the text result (nothing in JSON mode).</summary>
    public void Line(string text = "")
    {
        if (!Json)
            Console.Out.WriteLine(text);
    }

    /// <summary>A labelled field of the text result: "  label   value".</summary>
    public void Field(string label, string? value)
    {
        if (!Json && value is not null)
            Console.Out.WriteLine($"  {label,-12} {value}");
    }

    /// <summary>Something the operator should know that is not an error (stderr, both modes).</summary>
    public static void Note(string text) => Console.Error.WriteLine($"{Prefix}: note: {text}");

    /// <summary>The JSON result (nothing in text mode).</summary>
    public void Result<T>(T value, JsonTypeInfo<T> type)
    {
        if (Json)
            Console.Out.WriteLine(JsonSerializer.Serialize(value, type));
    }

    /// <summary>Reports a failure: stderr always; in JSON mode stdout also carries it as the result.</summary>
    public void Fail(Failure failure)
    {
        Console.Error.WriteLine($"{Prefix}: error: {failure.Message}");
        Console.Error.WriteLine($"hint: {failure.Hint}");
        if (Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new ErrorResult(false,
                new ErrorDetails(failure.Kind, failure.Message, failure.Hint, failure.ExitCode)), FactoryJson.Default.ErrorResult));
        }
    }
}
