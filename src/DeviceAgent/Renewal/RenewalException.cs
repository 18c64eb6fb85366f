namespace DeviceAgent.Renewal;

/// <summary>A renewal attempt failed; the device keeps its current identity and retries with <see cref="RenewalBackoff"/>.</summary>
public sealed class RenewalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RenewalException() : base("the certificate renewal failed") { }

    /// <summary>Creates the exception.</summary>
    public RenewalException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RenewalException(string message, Exception innerException) : base(message, innerException) { }
}
