namespace ProvisioningEndpoint.Issuance;

/// <summary>A certificate request was refused, or the issuer failed; nothing was issued.</summary>
public sealed class IssuanceException : Exception
{
    /// <summary>A refusal with its extended error code (<see cref="IssuanceErrorCodes"/>) and the reason, fit for the device.</summary>
    public IssuanceException(int errorCode, string message, Exception? innerException = null)
        : base(message, innerException) => ErrorCode = errorCode;

    /// <summary>Standard constructor; the error code is 500000.</summary>
    public IssuanceException() : this(500000, "certificate issuance failed") { }

    /// <summary>Standard constructor; the error code is 500000.</summary>
    public IssuanceException(string message) : this(500000, message) { }

    /// <summary>Standard constructor; the error code is 500000.</summary>
    public IssuanceException(string message, Exception innerException) : this(500000, message, innerException) { }

    /// <summary>The extended error code (code / 1000 = HTTP status).</summary>
    public int ErrorCode { get; }
}
