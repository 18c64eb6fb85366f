namespace Factory.Cli;

/// <summary>The command line is wrong; the message says what, the hint how to fix it. Exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException(string message, string hint, Exception? innerException = null)
        : base(message, innerException) => Hint = hint;

    public string? Hint { get; }
}
