using System.Security.Cryptography;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// Hands <c>SslStream</c> (and <c>X509Certificate2.CopyWithPrivateKey</c>,
/// <c>SslStreamCertificateContext.Create</c>) an OpenSSL key whose private-key operation calls back
/// into managed code: any <see cref="ECDsa"/> or <see cref="RSA"/> whose <c>SignHash</c> runs in its
/// backend (a PKCS#11 token through <see cref="Pkcs11.Pkcs11ECDsa"/>, a TPM, a key file). The result
/// is an <see cref="ECDsaOpenSsl"/> or <see cref="RSAOpenSsl"/> over an EVP_PKEY that holds the
/// public key and an EC_KEY_METHOD / RSA_METHOD (see <see cref="EcKeyMethod"/>,
/// <see cref="RsaKeyMethod"/>), made in the libcrypto .NET itself loaded
/// (<see cref="LibCryptoInstance"/>). Every signature OpenSSL needs (the TLS CertificateVerify) is
/// exactly one call of the backend's <c>SignHash</c> on a digest computed in software. No engine,
/// no provider, no OpenSSL configuration: any number of PKCS#11 modules and backends in one process.
/// </summary>
/// <remarks>
/// <para>Lifetime: the bridged key owns the backend key. It is disposed when OpenSSL frees the
/// last reference to the EVP_PKEY: after the returned object, every certificate made with
/// <c>CopyWithPrivateKey</c> and every <c>SslStreamCertificateContext</c> holding it are disposed
/// (or finalized).</para>
/// <para>Failures never unwind into OpenSSL: a backend that throws, or does not answer within the
/// timeout (a token unplugged or its daemon stopped), makes the sign fail, so the handshake fails
/// promptly; <see cref="OperationsOf"/> then gives the <see cref="KeyCustodyException"/> that says
/// why (MutualTlsConnector puts it into its TlsConnectionException). A timed-out backend call is
/// abandoned, not cancelled: its thread stays blocked until the backend returns.</para>
/// <para>RSA (TLS device keys are EC): PKCS#1 v1.5 signatures reach the backend's
/// <c>SignHash</c>. RSA-PSS, which TLS 1.3 requires (RFC 8446 4.2.3) and OpenSSL peers prefer in
/// TLS 1.2, reaches the RSA_METHOD only as a raw operation on a block OpenSSL already padded: it
/// works when the backend implements <see cref="IRsaPrivatePrimitive"/> (PKCS#11 tokens with
/// CKM_RSA_X_509, e.g. SoftHSM2) and otherwise fails the handshake with a reason that says so
/// (an RSA key without the primitive can only do TLS 1.2 with servers that accept rsa_pkcs1
/// signatures). See <see cref="RsaKeyMethod"/>.</para>
/// <para>Thread-safe; the returned key may serve concurrent handshakes if the backend key is
/// thread-safe.</para>
/// </remarks>
public static class OpenSslKeyMethodBridge
{
    /// <summary>How long one private-key operation may take unless told otherwise.</summary>
    public static TimeSpan DefaultSignTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Wraps a backend key as an OpenSSL key; the result owns <paramref name="backendKey"/>.</summary>
    /// <param name="backendKey">An <see cref="ECDsa"/> or <see cref="RSA"/> whose private operation runs in its backend.</param>
    /// <param name="publicKey">The key's public half (what the leaf certifies).</param>
    /// <param name="description">The key's name for messages (a URI; never secret).</param>
    /// <param name="signTimeout">The bound on one private-key operation; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <returns>An <see cref="ECDsaOpenSsl"/> or <see cref="RSAOpenSsl"/>; the caller disposes it.</returns>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.UnsupportedKey"/> for another key type or a
    /// public key of another type; <see cref="KeyCustodyError.OpenSslBridgeFailed"/> when OpenSSL refused.</exception>
    public static AsymmetricAlgorithm Open(AsymmetricAlgorithm backendKey, DevicePublicKey publicKey, string description, TimeSpan? signTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(backendKey);
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentException.ThrowIfNullOrEmpty(description);
        var isEc = backendKey switch
        {
            ECDsa => true,
            RSA => false,
            _ => throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, $"{description}: {backendKey.GetType().Name} keys cannot sign TLS handshakes"),
        };
        if (isEc != publicKey.Algorithm.IsEllipticCurve())
            throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, $"{description}: the public key ({publicKey.Algorithm}) is not of the backend key's type");

        var target = new CallbackKeyTarget(backendKey, description, signTimeout ?? DefaultSignTimeout);
        var spki = publicKey.SubjectPublicKeyInfo.Span;
        var pkey = isEc ? EcKeyMethod.CreateKey(spki, target) : RsaKeyMethod.CreateKey(spki, target);
        using var handle = new SafeEvpPKeyHandle(pkey, ownsHandle: true);
        // Both constructors take their own reference to the EVP_PKEY; ours goes with the using.
        return isEc ? new ECDsaOpenSsl(handle) : new RSAOpenSsl(handle);
    }

    /// <summary>
    /// What the callbacks of a bridged key have done, or null when <paramref name="key"/> is not a
    /// bridged key (a plain software key, an engine key). Works on any object sharing the key's
    /// EVP_PKEY (e.g. <c>certificate.GetECDsaPrivateKey()</c>).
    /// </summary>
    public static PrivateKeyOperations? OperationsOf(AsymmetricAlgorithm key)
    {
        using var handle = key switch
        {
            ECDsaOpenSsl ec => ec.DuplicateKeyHandle(),
            RSAOpenSsl rsa => rsa.DuplicateKeyHandle(),
            _ => null,
        };
        if (handle is null)
            return null;
        var pkey = handle.DangerousGetHandle();
        var target = key is ECDsaOpenSsl ? EcKeyMethod.TargetOf(pkey) : RsaKeyMethod.TargetOf(pkey);
        return target?.Operations;
    }

    internal static KeyCustodyException Failed(string message) => new(KeyCustodyError.OpenSslBridgeFailed, message);
}
