namespace Factory.Endpoint;

/// <summary>
/// The provisioning service refused a request or could not be reached: what failed, what to do,
/// and a stable kind for scripts (<c>endpoint.not-found</c>, <c>endpoint.unauthorized</c>, ...).
/// </summary>
internal sealed class ProvisioningServiceException : Exception
{
    public ProvisioningServiceException()
    {
    }

    public ProvisioningServiceException(string message)
        : base(message)
    {
    }

    public ProvisioningServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProvisioningServiceException(string kind, int status, string message, string hint, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Status = status;
        Hint = hint;
    }

    /// <summary>A stable name: endpoint.bad-request, endpoint.unauthorized, endpoint.not-found, endpoint.conflict, endpoint.changed, endpoint.failed, endpoint.unreachable.</summary>
    public string Kind { get; } = "endpoint.failed";

    /// <summary>The HTTP status; 0 when the service was not reached.</summary>
    public int Status { get; }

    /// <summary>What to do about it.</summary>
    public string Hint { get; } = "see the message";
}
