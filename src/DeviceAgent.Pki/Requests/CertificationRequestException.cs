namespace DeviceAgent.Pki.Requests;

/// <summary>
/// A certification request is refused: unreadable, malformed, signed by another key than the one it
/// carries, carrying a weak key, or naming no valid subject. The message names the request and the rule.
/// </summary>
public sealed class CertificationRequestException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public CertificationRequestException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public CertificationRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public CertificationRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal CertificationRequestException(CertificationRequestProblem problem, string sourceName, string message, Exception? innerException = null)
        : base($"certification request '{sourceName}': {message}", innerException)
    {
        Problem = problem;
        SourceName = sourceName;
    }

    /// <summary>Why the request is refused.</summary>
    public CertificationRequestProblem Problem { get; }

    /// <summary>The request's path or name.</summary>
    public string? SourceName { get; }
}
