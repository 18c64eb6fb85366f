namespace DeviceAgent.Tpm;

/// <summary>
/// The TPM could not be reached or the connection to it broke: the device node is missing or not
/// accessible, the simulator is not listening, or a response did not arrive in time. The message
/// says which TPM and what to check.
/// </summary>
public sealed class TpmTransportException : TpmException
{
    /// <summary>Creates the exception.</summary>
    public TpmTransportException() : base("the TPM could not be reached") { }

    /// <summary>Creates the exception.</summary>
    public TpmTransportException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public TpmTransportException(string message, Exception innerException) : base(message, innerException) { }
}
