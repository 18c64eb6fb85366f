namespace DeviceAgent.Provisioning;

/// <summary>
/// DPS did not assign the device: refused (401/403/404 with DPS's error code), disabled, failed,
/// throttled beyond patience, unreachable, or too slow. <see cref="LikelyCause"/> explains what an
/// operator should check.
/// </summary>
public sealed class ProvisioningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProvisioningException(string message, int? status = null, int? errorCode = null, string? registrationStatus = null,
        TimeSpan? retryAfter = null, string? likelyCause = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
        RegistrationStatus = registrationStatus;
        RetryAfter = retryAfter;
        LikelyCause = likelyCause;
    }

    /// <summary>Creates the exception.</summary>
    public ProvisioningException() : this("provisioning failed") { }

    /// <summary>Creates the exception.</summary>
    public ProvisioningException(string message) : this(message, status: null) { }

    /// <summary>Creates the exception.</summary>
    public ProvisioningException(string message, Exception innerException) : this(message, null, innerException: innerException) { }

    /// <summary>The response status (401, 429, ...), when DPS answered.</summary>
    public int? Status { get; }

    /// <summary>DPS's extended error code (e.g. 401002), when it sent one.</summary>
    public int? ErrorCode { get; }

    /// <summary>The registration status DPS reported (failed, disabled), when it got that far.</summary>
    public string? RegistrationStatus { get; }

    /// <summary>The retry-after DPS asked for, if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>What probably causes this, in operator terms; null when there is nothing to add.</summary>
    public string? LikelyCause { get; }

    /// <summary>True for outcomes that another attempt later may change (throttling, 5xx, connection loss, timeout).</summary>
    public bool IsTransient => Status is null or 429 or >= 500;
}
