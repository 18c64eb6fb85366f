namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// Optional capability of an RSA backend key: the raw RSA private operation (m^d mod n) on a block
/// that is already padded, which is how OpenSSL asks for an RSA-PSS signature (the TLS 1.3
/// CertificateVerify) through an RSA_METHOD. See <see cref="RsaKeyMethod"/>.
/// </summary>
public interface IRsaPrivatePrimitive
{
    /// <summary>Applies the private key to <paramref name="block"/> (exactly the modulus length).</summary>
    /// <returns>The result, at most the modulus length.</returns>
    /// <exception cref="KeyCustodyException">The backend cannot or would not (e.g. CKR_MECHANISM_INVALID).</exception>
    byte[] PrivateOperation(byte[] block);
}
