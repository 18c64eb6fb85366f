using System.Security.Cryptography;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// An <see cref="ECDsa"/> whose private key is a PKCS#11 token object: <see cref="SignHash(byte[])"/>
/// is one C_Sign with CKM_ECDSA on the digest; hashing and verification run in software with the
/// public key. Works with <c>CertificateRequest</c> and <c>X509SignatureGenerator</c>; for
/// <c>SslStream</c>, which needs an OpenSSL key, <see cref="ITlsKeySource"/> wraps it with
/// <see cref="OpenSsl.OpenSslKeyMethodBridge"/>.
/// Thread-safe. Dispose to close the session.
/// </summary>
public sealed class Pkcs11ECDsa : ECDsa
{
    private readonly Pkcs11PrivateKey _key;
    private readonly ECDsa _public;

    internal Pkcs11ECDsa(Pkcs11PrivateKey key)
    {
        _key = key;
        _public = ECDsa.Create();
        _public.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo.Span, out _);
        KeySizeValue = _public.KeySize;
        LegalKeySizesValue = [new KeySizes(256, 384, 128)];
    }

    /// <inheritdoc />
    public override byte[] SignHash(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return _key.SignHash(hash, null);
    }

    /// <inheritdoc />
    public override bool VerifyHash(byte[] hash, byte[] signature) => _public.VerifyHash(hash, signature);

    /// <inheritdoc />
    protected override byte[] HashData(byte[] data, int offset, int count, HashAlgorithmName hashAlgorithm) =>
        CryptographicOperations.HashData(hashAlgorithm, data.AsSpan(offset, count));

    /// <inheritdoc />
    protected override byte[] HashData(Stream data, HashAlgorithmName hashAlgorithm) =>
        CryptographicOperations.HashData(hashAlgorithm, data);

    /// <summary>Exports the public parameters; the private key never leaves the token.</summary>
    /// <exception cref="CryptographicException"><paramref name="includePrivateParameters"/> is true.</exception>
    public override ECParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters ? throw _key.NotExportable() : _public.ExportParameters(false);

    /// <inheritdoc cref="ExportParameters"/>
    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) =>
        includePrivateParameters ? throw _key.NotExportable() : _public.ExportExplicitParameters(false);

    /// <summary>Not supported: the key lives in the token.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void ImportParameters(ECParameters parameters) =>
        throw new NotSupportedException("a token key cannot be replaced by importing parameters");

    /// <summary>Not supported: generate keys on the token with <see cref="IKeyGenerator"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void GenerateKey(ECCurve curve) =>
        throw new NotSupportedException("generate token keys with the key backend, inside the token");

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
