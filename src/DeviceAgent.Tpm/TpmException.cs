namespace DeviceAgent.Tpm;

/// <summary>
/// The root of the TPM stack's exceptions: <see cref="TpmResponseException"/> (the TPM answered
/// with a response code), <see cref="TpmTransportException"/> (the TPM could not be reached or
/// the connection broke), <see cref="TpmFormatException"/> (bytes that do not parse as the
/// structure they should be). Messages never contain auth values or key material.
/// </summary>
public class TpmException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TpmException() : base("TPM operation failed") { }

    /// <summary>Creates the exception.</summary>
    public TpmException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public TpmException(string message, Exception innerException) : base(message, innerException) { }
}
