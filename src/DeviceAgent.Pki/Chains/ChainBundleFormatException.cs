namespace DeviceAgent.Pki.Chains;

/// <summary>
/// A chain bundle cannot be read: the file is missing or empty, or a PEM block is broken, is not
/// a certificate (a private key is refused and never echoed), or repeats another. The message
/// names the source and, for a block, its number and the line it starts on.
/// </summary>
public sealed class ChainBundleFormatException : Exception
{
    /// <summary>Creates an exception with no details (<see cref="Problem"/> is <see cref="ChainBundleProblem.Unspecified"/>).</summary>
    public ChainBundleFormatException()
    {
    }

    /// <summary>Creates an exception with a message and no details.</summary>
    public ChainBundleFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message, a cause and no details.</summary>
    public ChainBundleFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ChainBundleFormatException(
        ChainBundleProblem problem, string sourceName, string message, int? blockNumber = null, int? lineNumber = null, Exception? innerException = null)
        : base($"chain bundle '{sourceName}': {message}", innerException)
    {
        Problem = problem;
        SourceName = sourceName;
        BlockNumber = blockNumber;
        LineNumber = lineNumber;
    }

    /// <summary>What is wrong with the bundle.</summary>
    public ChainBundleProblem Problem { get; }

    /// <summary>The path or name of the bundle, as given to <see cref="ChainBundle.Load"/> or <see cref="ChainBundle.Parse"/>.</summary>
    public string? SourceName { get; }

    /// <summary>The 1-based number of the PEM block at fault, when one is.</summary>
    public int? BlockNumber { get; }

    /// <summary>The 1-based line at fault (the block's BEGIN line, or the bad line inside it), when one is.</summary>
    public int? LineNumber { get; }
}
