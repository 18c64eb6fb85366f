using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Profiles;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// A CA of the store, opened to sign: its certificate, the certificates above it, and its
/// private key wherever it lives (an encrypted file, an HSM, a TPM: a token key signs with one
/// C_Sign per certificate). Opening checks that it may sign now: it is a CA (RFC 5280 4.2.1.9,
/// 4.2.1.3), its key is its certificate's key, and it and every CA above it are within their
/// validity (RFC 5280 4.1.2.5). While open it holds the CA's lock, so one process at a time
/// signs with it. Not thread-safe. Dispose to close the key and release the lock.
/// </summary>
public sealed partial class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan s_lockTimeout = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyList<CaEntry> _chain;
    private readonly CaLock _lock;
    private readonly AsymmetricAlgorithm _key;
    private readonly X509SignatureGenerator _generator;
    private readonly HashAlgorithmName _hash;
    private readonly TimeProvider _clock;
    private readonly AsymmetricAlgorithm? _verifier;
    private bool _disposed;

    private CertificateAuthority(IReadOnlyList<CaEntry> chain, CaLock caLock, AsymmetricAlgorithm key, TimeProvider clock)
    {
        _chain = chain;
        _lock = caLock;
        _key = key;
        _clock = clock;
        _generator = Signing.GeneratorFor(key);
        _hash = Signing.HashFor(key);
        ChainToRoot = [.. chain.Select(e => e.Certificate)];
        // What a token signs is verified with the CA's public key before it is released: a faulty HSM or TPM must not hand out
        // certificates that fail later on devices. A key in a file signs in this process with OpenSSL and was matched to the
        // certificate when opened. The verifying key is made once: making it costs more than a verification.
        _verifier = chain[0].Key.Kind == CaKeyKind.Pkcs11 ? (AsymmetricAlgorithm?)Certificate.GetECDsaPublicKey() ?? Certificate.GetRSAPublicKey() : null;
    }

    /// <summary>The CA's name in the store.</summary>
    public string Name => Entry.Name;

    /// <summary>The CA's store entry.</summary>
    public CaEntry Entry => _chain[0];

    /// <summary>The CA certificate.</summary>
    public X509Certificate2 Certificate => Entry.Certificate;

    /// <summary>This CA's certificate, then each CA above it, up to the top of the store's chain (the root when the store holds it).</summary>
    public IReadOnlyList<X509Certificate2> ChainToRoot { get; }

    /// <summary>The root of the chain, or null when the store does not hold it (the chain ends at an imported intermediate).</summary>
    public X509Certificate2? Root => CertificateSignature.IsSelfSigned(ChainToRoot[^1]) ? ChainToRoot[^1] : null;

    /// <summary>The key's type, e.g. "EC P-256".</summary>
    public string KeyDescription => KeyStrengthPolicy.Judge(Certificate.PublicKey).Description;

    /// <summary>Opens CA <paramref name="name"/> of <paramref name="store"/> for signing.</summary>
    /// <param name="store">The store.</param>
    /// <param name="name">The CA's name.</param>
    /// <param name="keys">The key backends (file keys must be allowed for CAs kept in encrypted files).</param>
    /// <param name="clock">The clock validity is checked and issued against; the system clock when null.</param>
    /// <param name="lockTimeout">How long to wait for another process to release the CA; 30 seconds when null.</param>
    /// <exception cref="CertificateAuthorityException">The CA is missing, has no key, is not a CA, has expired or is not valid
    /// yet (it or a CA above it), its chain is broken, its key does not match, or another process holds it.</exception>
    /// <exception cref="KeyCustodyException">The key cannot be opened: wrong passphrase or PIN, missing token, missing key.</exception>
    public static CertificateAuthority Open(CaStore store, string name, KeyBackends keys, TimeProvider? clock = null, TimeSpan? lockTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        clock ??= TimeProvider.System;
        var chain = store.ChainOf(name);
        CaLock? caLock = null;
        AsymmetricAlgorithm? key = null;
        try
        {
            var entry = chain[0];
            CheckIsCa(entry);
            CheckValidity(chain, clock.GetUtcNow());
            var reference = entry.Key.ToKeyReference(entry.Directory);
            caLock = CaLock.Acquire(entry.Directory, entry.Name, lockTimeout ?? s_lockTimeout);
            key = keys.For(reference).OpenPrivateKey(reference);
            if (!Signing.Matches(key, entry.Certificate.PublicKey))
            {
                throw new CertificateAuthorityException(CertificateAuthorityError.KeyMismatch,
                    $"CA '{entry.Name}': the key {entry.Key} is not the key of its certificate ({entry.Certificate.Subject}); "
                    + "the key reference points at another key");
            }
            return new CertificateAuthority(chain, caLock, key, clock);
        }
        catch
        {
            key?.Dispose();
            caLock?.Dispose();
            foreach (var entry in chain)
                entry.Dispose();
            throw;
        }
    }

    /// <summary>Closes the key, releases the lock, disposes the certificates.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _key.Dispose();
        _verifier?.Dispose();
        _lock.Dispose();
        foreach (var entry in _chain)
            entry.Dispose();
    }

    internal static void CheckIsCa(CaEntry entry) => CheckIsCa(entry.Name, entry.Certificate);

    /// <summary>RFC 5280 4.2.1.9 (cA TRUE) and 4.2.1.3 (keyCertSign when keyUsage is present); a version 1 root has no extensions.</summary>
    internal static void CheckIsCa(string name, X509Certificate2 certificate)
    {
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is null && !(certificate.Version == 1 && CertificateSignature.IsSelfSigned(certificate)))
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.NotACa,
                $"CA '{name}': its certificate ({certificate.Subject}) has no basicConstraints, so it is not a CA certificate and may not issue (RFC 5280 4.2.1.9)");
        }
        if (constraints is { CertificateAuthority: false })
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.NotACa,
                $"CA '{name}': its certificate ({certificate.Subject}) says cA=FALSE: it is not a CA certificate and may not issue (RFC 5280 4.2.1.9)");
        }
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.NotACa,
                $"CA '{name}': its certificate's keyUsage ({usage.KeyUsages}) lacks keyCertSign, so it may not sign certificates (RFC 5280 4.2.1.3)");
        }
    }

    private static void CheckValidity(IReadOnlyList<CaEntry> chain, DateTimeOffset now)
    {
        foreach (var entry in chain)
        {
            var notBefore = new DateTimeOffset(entry.Certificate.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(entry.Certificate.NotAfter.ToUniversalTime());
            var whose = ReferenceEquals(entry, chain[0]) ? $"CA '{entry.Name}'" : $"CA '{chain[0].Name}': the CA above it, '{entry.Name}',";
            if (now > notAfter)
            {
                throw new CertificateAuthorityException(CertificateAuthorityError.Expired,
                    $"{whose} expired on {notAfter:yyyy-MM-dd'T'HH:mm:ss'Z'} ({entry.Certificate.Subject}); nothing it issues would validate (RFC 5280 4.1.2.5, 6.1.3 (a)(2)): renew it");
            }
            if (now < notBefore)
            {
                throw new CertificateAuthorityException(CertificateAuthorityError.NotYetValid,
                    $"{whose} is not valid before {notBefore:yyyy-MM-dd'T'HH:mm:ss'Z'} ({entry.Certificate.Subject}); check this machine's clock (RFC 5280 4.1.2.5)");
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
