namespace DeviceAgent.Tpm.Attestation;

/// <summary>
/// A TPM key attestation did not prove that the TPM made the device key and that the key cannot
/// leave it; <see cref="Failure"/> says which check failed, the message what was seen. Nothing may
/// be issued for the key.
/// </summary>
public sealed class KeyAttestationException : TpmException
{
    /// <summary>Creates the exception.</summary>
    public KeyAttestationException(KeyAttestationFailure failure, string message) : base(message) => Failure = failure;

    /// <summary>Creates the exception.</summary>
    public KeyAttestationException(KeyAttestationFailure failure, string message, Exception innerException) : base(message, innerException) =>
        Failure = failure;

    /// <summary>Creates the exception.</summary>
    public KeyAttestationException() : base("TPM key attestation failed") { }

    /// <summary>Creates the exception.</summary>
    public KeyAttestationException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public KeyAttestationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Which check failed.</summary>
    public KeyAttestationFailure Failure { get; }
}
