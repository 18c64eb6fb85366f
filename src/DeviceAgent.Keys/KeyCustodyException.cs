namespace DeviceAgent.Keys;

/// <summary>What went wrong with a device key, in terms an operator can act on.</summary>
public enum KeyCustodyError
{
    /// <summary>The key reference (PKCS#11 URI, file: URI) is malformed.</summary>
    InvalidKeyReference,
    /// <summary>The PKCS#11 module file does not exist.</summary>
    ModuleNotFound,
    /// <summary>The module file exists but cannot be loaded as a PKCS#11 module.</summary>
    ModuleNotLoadable,
    /// <summary>No token matches the reference (not present, or labelled differently).</summary>
    TokenNotFound,
    /// <summary>The PIN could not be read (missing file, unset variable, empty).</summary>
    PinUnavailable,
    /// <summary>The token refused the PIN.</summary>
    PinRejected,
    /// <summary>No key matches the reference.</summary>
    KeyNotFound,
    /// <summary>More than one key matches the reference.</summary>
    KeyAmbiguous,
    /// <summary>A key with that label or id already exists.</summary>
    KeyAlreadyExists,
    /// <summary>The key's algorithm or size is not supported.</summary>
    UnsupportedKey,
    /// <summary>A software key was offered where only token keys are allowed.</summary>
    SoftwareKeyRefused,
    /// <summary>OpenSSL refused to build the TLS key (the key-method bridge), or is not the runtime's.</summary>
    OpenSslBridgeFailed,
    /// <summary>The token answered with an error.</summary>
    TokenOperationFailed,
}

/// <summary>
/// A device key could not be found, opened or used. <see cref="Error"/> says which way it failed;
/// the message says where and what to do. Messages never contain PINs or key material.
/// </summary>
public class KeyCustodyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyCustodyException(KeyCustodyError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>Creates the exception with a generic error kind.</summary>
    public KeyCustodyException() : this(KeyCustodyError.TokenOperationFailed, "key custody failed") { }

    /// <summary>Creates the exception with a generic error kind.</summary>
    public KeyCustodyException(string message) : this(KeyCustodyError.TokenOperationFailed, message) { }

    /// <summary>Creates the exception with a generic error kind.</summary>
    public KeyCustodyException(string message, Exception innerException)
        : this(KeyCustodyError.TokenOperationFailed, message, innerException) { }

    /// <summary>Which way the operation failed.</summary>
    public KeyCustodyError Error { get; }
}
