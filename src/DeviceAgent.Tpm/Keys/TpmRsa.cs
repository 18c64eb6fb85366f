using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Crypto;

namespace DeviceAgent.Tpm.Keys;

/// <summary>
/// An <see cref="RSA"/> whose private key is a TPM object: SignHash is one TPM2_Sign with RSASSA
/// (PKCS#1 v1.5) or RSAPSS (the TPM uses the largest salt the key allows, or the hash length on
/// TPMs of the FIPS 186-4 profile; verifiers must accept any salt length). Decryption is not
/// offered (the key is a signing key). Thread-safe for signing.
/// </summary>
public sealed class TpmRsa : RSA
{
    private readonly TpmSigningKey _key;
    private readonly RSA _public;
    private readonly IDisposable? _owner;

    /// <summary>Wraps a TPM RSA signing key; <paramref name="owner"/> is disposed with this object.</summary>
    public TpmRsa(TpmSigningKey key, IDisposable? owner = null)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _owner = owner;
        _public = RSA.Create(key.Public.ToRsaParameters());
        KeySizeValue = _public.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>The TPM key.</summary>
    public TpmSigningKey Key => _key;

    /// <inheritdoc />
    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(padding);
        var scheme = padding.Mode == RSASignaturePaddingMode.Pss ? TpmAlgId.RsaPss : TpmAlgId.RsaSsa;
        try
        {
            return _key.Sign(hash, scheme, TpmHash.IdOf(hashAlgorithm)).RsaSignature.ToArray();
        }
        catch (TpmException ex)
        {
            throw new CryptographicException($"TPM2_Sign with the key at 0x{_key.Handle:X8} failed: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        _public.VerifyHash(hash, signature, hashAlgorithm, padding);

    /// <inheritdoc />
    public override RSAParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters
            ? throw new CryptographicException($"the private key of TPM object 0x{_key.Handle:X8} is fixedTPM and cannot be exported")
            : _public.ExportParameters(false);

    /// <inheritdoc />
    public override void ImportParameters(RSAParameters parameters) =>
        throw new CryptographicException("a TPM-backed key cannot import parameters");

    /// <inheritdoc />
    public override byte[] Decrypt(byte[] data, RSAEncryptionPadding padding) =>
        throw new CryptographicException("the TPM device key is a signing key; it does not decrypt");

    /// <inheritdoc />
    public override byte[] Encrypt(byte[] data, RSAEncryptionPadding padding) => _public.Encrypt(data, padding);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _public.Dispose();
            _key.Dispose();
            _owner?.Dispose();
        }
        base.Dispose(disposing);
    }
}
