namespace DeviceAgent.Pki.Authority;

/// <summary>
/// A CA operation was refused or failed: the message names the CA, says what is wrong and cites
/// the rule when one applies; <see cref="Error"/> classifies it for scripts and exit codes.
/// Messages never contain key material, PINs or passphrases.
/// </summary>
public sealed class CertificateAuthorityException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public CertificateAuthorityException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public CertificateAuthorityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public CertificateAuthorityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception of a kind.</summary>
    public CertificateAuthorityException(CertificateAuthorityError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>Which way the operation failed.</summary>
    public CertificateAuthorityError Error { get; }
}
