namespace DeviceAgent.Pki.Tls;

/// <summary>A TLS connection could not be made: TCP, the handshake, or trust in either direction.</summary>
public sealed class TlsConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TlsConnectionException() : base("the TLS connection failed") { }

    /// <summary>Creates the exception.</summary>
    public TlsConnectionException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public TlsConnectionException(string message, Exception innerException) : base(message, innerException) { }
}
