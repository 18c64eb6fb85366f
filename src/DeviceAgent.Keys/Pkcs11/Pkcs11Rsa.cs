using System.Security.Cryptography;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// An <see cref="RSA"/> whose private key is a PKCS#11 token object: signatures are one C_Sign
/// (CKM_RSA_PKCS over a DigestInfo, or CKM_RSA_PKCS_PSS) on a digest computed in software.
/// Decryption is not offered: device and CA keys only sign. The raw private operation
/// (<see cref="OpenSsl.IRsaPrivatePrimitive"/>, CKM_RSA_X_509) serves OpenSSL's RSA-PSS for TLS 1.3
/// where the token offers that mechanism. Thread-safe. Dispose to close the session.
/// </summary>
public sealed class Pkcs11Rsa : RSA, OpenSsl.IRsaPrivatePrimitive
{
    private readonly Pkcs11PrivateKey _key;
    private readonly RSA _public;

    internal Pkcs11Rsa(Pkcs11PrivateKey key)
    {
        _key = key;
        _public = RSA.Create();
        _public.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo.Span, out _);
        KeySizeValue = _public.KeySize;
        LegalKeySizesValue = [new KeySizes(2048, 4096, 1024)];
    }

    /// <inheritdoc />
    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(padding);
        return _key.SignHash(hash, padding);
    }

    /// <inheritdoc />
    public byte[] PrivateOperation(byte[] block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return _key.PrivateOperation(block);
    }

    /// <inheritdoc />
    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        _public.VerifyHash(hash, signature, hashAlgorithm, padding);

    /// <inheritdoc />
    protected override byte[] HashData(byte[] data, int offset, int count, HashAlgorithmName hashAlgorithm) =>
        CryptographicOperations.HashData(hashAlgorithm, data.AsSpan(offset, count));

    /// <inheritdoc />
    protected override byte[] HashData(Stream data, HashAlgorithmName hashAlgorithm) =>
        CryptographicOperations.HashData(hashAlgorithm, data);

    /// <summary>Exports the public parameters; the private key never leaves the token.</summary>
    /// <exception cref="CryptographicException"><paramref name="includePrivateParameters"/> is true.</exception>
    public override RSAParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters ? throw _key.NotExportable() : _public.ExportParameters(false);

    /// <summary>Not supported: the key lives in the token.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void ImportParameters(RSAParameters parameters) =>
        throw new NotSupportedException("a token key cannot be replaced by importing parameters");

    /// <summary>Not supported: token keys only sign.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override byte[] Decrypt(byte[] data, RSAEncryptionPadding padding) =>
        throw new NotSupportedException("token keys are signing keys; decryption is not offered");

    /// <inheritdoc />
    public override byte[] Encrypt(byte[] data, RSAEncryptionPadding padding) => _public.Encrypt(data, padding);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
            _public.Dispose();
        }
        base.Dispose(disposing);
    }
}
