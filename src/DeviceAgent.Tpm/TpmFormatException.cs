namespace DeviceAgent.Tpm;

/// <summary>
/// Bytes from (or for) the TPM do not marshal as the structure named in the message: truncated,
/// oversized, trailing bytes, or a selector this stack does not know.
/// </summary>
public sealed class TpmFormatException : TpmException
{
    /// <summary>Creates the exception.</summary>
    public TpmFormatException() : base("malformed TPM structure") { }

    /// <summary>Creates the exception.</summary>
    public TpmFormatException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public TpmFormatException(string message, Exception innerException) : base(message, innerException) { }
}
