using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys.OpenSsl;
using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Pki.Tls;

/// <summary>
/// What a device presents in a TLS handshake: its leaf, bound to a private key that signs the
/// CertificateVerify wherever the key lives (a TPM, an HSM), and the intermediates sent with it
/// so that a server trusting only the root can build the path (RFC 8446 4.4.2). Dispose it.
/// </summary>
public sealed class TlsClientIdentity : IDisposable
{
    private readonly X509Certificate2 _leafWithKey;

    private TlsClientIdentity(X509Certificate2 leafWithKey, X509Certificate2Collection intermediates, SslStreamCertificateContext context)
    {
        _leafWithKey = leafWithKey;
        Intermediates = intermediates;
        Context = context;
    }

    /// <summary>The context <c>SslStream</c> presents: leaf plus intermediates.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>The leaf certificate.</summary>
    public X509Certificate2 Leaf => _leafWithKey;

    /// <summary>The intermediates sent after the leaf, leaf's issuer first.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>Binds the bundle's leaf to the key and prepares the full chain.</summary>
    /// <param name="bundle">Leaf first, then intermediates; a root in the bundle is not sent.</param>
    /// <param name="privateKey">An OpenSSL-backed key (see <c>ITlsKeySource</c>) matching the leaf.</param>
    /// <param name="sendIntermediates">False sends the leaf alone (a diagnostic: servers that trust
    /// only the root then refuse the handshake).</param>
    /// <exception cref="ArgumentException">The key does not match the leaf, or is neither ECDsa nor RSA.</exception>
    public static TlsClientIdentity Create(ChainBundle bundle, AsymmetricAlgorithm privateKey, bool sendIntermediates = true)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(privateKey);
        X509Certificate2 leaf;
        try
        {
            leaf = privateKey switch
            {
                ECDsa ec => bundle.Leaf.CopyWithPrivateKey(ec),
                RSA rsa => bundle.Leaf.CopyWithPrivateKey(rsa),
                _ => throw new ArgumentException($"{privateKey.GetType().Name} keys cannot sign TLS handshakes", nameof(privateKey)),
            };
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException(
                $"the key does not belong to the leaf \"{bundle.Leaf.Subject}\" of '{bundle.SourceName}' ({e.Message})", nameof(privateKey), e);
        }
        var intermediates = sendIntermediates ? bundle.ToIntermediateCollection() : [];
        // offline: true — build the chain from what we have; never fetch AIA URLs from a device.
        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        return new TlsClientIdentity(leaf, intermediates, context);
    }

    /// <summary>
    /// What the key's private-key callbacks have done (see <c>OpenSslKeyMethodBridge</c>), or null
    /// when the key is not a bridged one.
    /// </summary>
    public PrivateKeyOperations? KeyOperations()
    {
        using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)_leafWithKey.GetECDsaPrivateKey() ?? _leafWithKey.GetRSAPrivateKey();
        return key is null ? null : OpenSslKeyMethodBridge.OperationsOf(key);
    }

    /// <summary>A one-line description for logs: subject and how many intermediates are sent.</summary>
    public string Describe() =>
        $"\"{Leaf.Subject}\" + {Intermediates.Count} intermediate{(Intermediates.Count == 1 ? "" : "s")}";

    /// <inheritdoc />
    public void Dispose() => _leafWithKey.Dispose();
}
