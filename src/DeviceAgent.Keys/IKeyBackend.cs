using System.Security.Cryptography;

namespace DeviceAgent.Keys;

/// <summary>
/// The core contract of a key store, chosen by the reference's URI scheme (<see cref="KeyBackends"/>):
/// read a key's public half and hand out an object that performs its private operations.
/// </summary>
public interface IKeyBackend
{
    /// <summary>The URI scheme this backend serves (<c>pkcs11</c>, <c>file</c>).</summary>
    string Scheme { get; }

    /// <summary>Reads the public key.</summary>
    /// <exception cref="KeyCustodyException">The key, its token or its PIN is missing or wrong.</exception>
    DevicePublicKey GetPublicKey(KeyReference key);

    /// <summary>
    /// Opens the private key as an <see cref="ECDsa"/> or <see cref="RSA"/> whose private
    /// operations run wherever the key lives: for signing certificates, CSRs and proofs of
    /// possession. The caller disposes it. For TLS use <see cref="ITlsKeySource"/>.
    /// </summary>
    /// <exception cref="KeyCustodyException">The key, its token or its PIN is missing or wrong.</exception>
    AsymmetricAlgorithm OpenPrivateKey(KeyReference key);
}

/// <summary>
/// Optional capability: the private key as an OpenSSL key object, which is what
/// <c>SslStream</c> needs to sign the TLS CertificateVerify with it (built by
/// <see cref="OpenSsl.OpenSslKeyMethodBridge"/>: one backend signature per handshake).
/// </summary>
public interface ITlsKeySource
{
    /// <summary>Opens the key for TLS; the caller disposes it.</summary>
    /// <exception cref="KeyCustodyException">The key cannot be opened for TLS.</exception>
    AsymmetricAlgorithm OpenForTls(KeyReference key);
}

/// <summary>Optional capability: create a key where the backend keeps keys.</summary>
public interface IKeyGenerator
{
    /// <summary>Creates the key named by the reference; fails if it exists.</summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.KeyAlreadyExists"/>, or the store refused.</exception>
    DevicePublicKey CreateKey(KeyReference key, KeyAlgorithm algorithm);
}

/// <summary>
/// Optional capability: destroy a key where the backend keeps it (a renewal retires the replaced
/// device key after its grace period). Idempotent: a key that is already gone is not an error.
/// </summary>
public interface IKeyDestroyer
{
    /// <summary>Destroys the key (both halves of a PKCS#11 pair; the persistent TPM object); true when something was destroyed.</summary>
    /// <exception cref="KeyCustodyException">The token or TPM refused, or is unreachable.</exception>
    bool DestroyKey(KeyReference key);
}

/// <summary>Optional capability: evidence of where a key was generated and whether it can leave.</summary>
public interface IKeyCustodyInspector
{
    /// <summary>Reads the key's custody attributes.</summary>
    /// <exception cref="KeyCustodyException">The key, its token or its PIN is missing or wrong.</exception>
    Pkcs11.KeyCustodyAttributes ReadCustody(KeyReference key);
}
