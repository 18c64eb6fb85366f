using System.Security.Cryptography;
using DeviceAgent.Keys.Pkcs11;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// Hands .NET a private key object whose private operations run inside a PKCS#11 token, as an
/// OpenSSL key that <c>SslStream</c>, <c>CertificateRequest</c> and <c>X509Certificate2</c> accept.
/// One implementation today (OpenSSL's PKCS#11 engine); OpenSSL 3's pkcs11-provider can replace it
/// without touching callers.
/// </summary>
public interface ITokenKeyBridge
{
    /// <summary>Opens a private key on a token: an <see cref="ECDsa"/> or an <see cref="RSA"/>.</summary>
    /// <param name="modulePath">The PKCS#11 module.</param>
    /// <param name="privateKey">The key's URI (type=private is implied).</param>
    /// <param name="pin">The token's user PIN.</param>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.OpenSslBridgeFailed"/> with
    /// OpenSSL's reason.</exception>
    AsymmetricAlgorithm OpenPrivateKey(string modulePath, Pkcs11Uri privateKey, Pin pin);
}
