using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Crypto;

namespace DeviceAgent.Tpm.Keys;

/// <summary>
/// An <see cref="ECDsa"/> whose private key is a TPM object: SignHash is one TPM2_Sign (ECDSA with
/// the hash the digest's length names), everything else uses the public key in software. Works
/// with <c>CertificateRequest</c>, <c>X509SignatureGenerator</c> and a TLS sign-callback bridge.
/// The private key cannot be exported. Thread-safe for signing.
/// </summary>
public sealed class TpmECDsa : ECDsa
{
    private readonly TpmSigningKey _key;
    private readonly ECDsa _public;
    private readonly int _coordinateSize;
    private readonly IDisposable? _owner;

    /// <summary>Wraps a TPM ECC signing key; <paramref name="owner"/> (the connection) is disposed with this object.</summary>
    /// <exception cref="TpmException">The key is not an ECC key.</exception>
    public TpmECDsa(TpmSigningKey key, IDisposable? owner = null)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _owner = owner;
        var parameters = key.Public.ToEcParameters();
        _public = ECDsa.Create(parameters);
        _coordinateSize = parameters.Q.X!.Length;
        KeySizeValue = _public.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>The TPM key.</summary>
    public TpmSigningKey Key => _key;

    /// <inheritdoc />
    /// <exception cref="CryptographicException">The TPM refused or is unreachable (the inner exception says why).</exception>
    public override byte[] SignHash(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var hashAlg = hash.Length switch
        {
            48 => TpmAlgId.Sha384,
            64 => TpmAlgId.Sha512,
            _ => TpmAlgId.Sha256,
        };
        var digest = hash.Length is 32 or 48 or 64 ? hash : FitDigest(hash, TpmHash.DigestSize(hashAlg));
        try
        {
            return _key.Sign(digest, TpmAlgId.EcDsa, hashAlg).ToP1363(_coordinateSize);
        }
        catch (TpmException ex)
        {
            throw new CryptographicException($"TPM2_Sign with the key at 0x{_key.Handle:X8} failed: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public override bool VerifyHash(byte[] hash, byte[] signature) => _public.VerifyHash(hash, signature);

    /// <inheritdoc />
    protected override byte[] HashData(byte[] data, int offset, int count, HashAlgorithmName hashAlgorithm) =>
        TpmHash.Hash(TpmHash.IdOf(hashAlgorithm), data.AsSpan(offset, count));

    /// <inheritdoc />
    protected override byte[] HashData(Stream data, HashAlgorithmName hashAlgorithm)
    {
        using var hash = IncrementalHash.CreateHash(hashAlgorithm);
        var buffer = new byte[8192];
        int read;
        while ((read = data.Read(buffer)) > 0)
            hash.AppendData(buffer, 0, read);
        return hash.GetHashAndReset();
    }

    /// <summary>Exports the public parameters; the private key never leaves the TPM.</summary>
    /// <exception cref="CryptographicException">The private parameters were asked for.</exception>
    public override ECParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters ? throw NotExportable() : _public.ExportParameters(false);

    /// <inheritdoc />
    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) =>
        includePrivateParameters ? throw NotExportable() : _public.ExportExplicitParameters(false);

    /// <inheritdoc />
    public override void ImportParameters(ECParameters parameters) =>
        throw new CryptographicException("a TPM-backed key cannot import parameters");

    /// <inheritdoc />
    public override void GenerateKey(ECCurve curve) =>
        throw new CryptographicException("a TPM-backed key is generated in the TPM (bringup device create --tpm)");

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

    private CryptographicException NotExportable() =>
        new($"the private key of TPM object 0x{_key.Handle:X8} is fixedTPM and cannot be exported");

    // ECDSA over a digest of another length: the leftmost bits are what counts (SEC 1 4.1.3 step 5).
    private static byte[] FitDigest(byte[] hash, int size)
    {
        var fitted = new byte[size];
        if (hash.Length >= size)
            hash.AsSpan(0, size).CopyTo(fitted);
        else
            hash.CopyTo(fitted, size - hash.Length);
        return fitted;
    }
}
