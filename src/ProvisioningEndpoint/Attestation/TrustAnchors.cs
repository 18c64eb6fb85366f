using System.Security.Cryptography.X509Certificates;
using System.Text;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Attestation;

/// <summary>
/// The uploaded CA certificates, parsed once per change of the store's certificate list rather
/// than once per registration: the verified ones are the only trust anchors of device chains;
/// all of them extend a trusted path upward to groups bound above the anchor.
/// </summary>
/// <param name="Version">Identifies the certificate list (names, etags, verified flags): equal versions, equal anchors.</param>
/// <param name="Verified">The verified CA certificates: the trust anchors.</param>
/// <param name="Uploaded">Every uploaded CA certificate.</param>
public sealed record TrustAnchorSet(string Version, X509Certificate2Collection Verified, IReadOnlyList<X509Certificate2> Uploaded);

/// <summary>
/// Serves the current <see cref="TrustAnchorSet"/>. Thread-safe. A replaced set is left to the
/// garbage collector, never disposed: connections in flight may still be using it.
/// </summary>
public sealed class TrustAnchors(IProvisioningStore store)
{
    private volatile TrustAnchorSet? _current;

    /// <summary>The anchors as the store has them now.</summary>
    public async Task<TrustAnchorSet> CurrentAsync(CancellationToken cancellationToken)
    {
        var entries = await store.ListCertificatesAsync(cancellationToken).ConfigureAwait(false);
        var version = new StringBuilder();
        foreach (var entry in entries)
            version.Append(entry.Name).Append('\u001f').Append(entry.Etag).Append('\u001f').Append(entry.IsVerified ? '1' : '0').Append('\u001e');
        var key = version.ToString();
        if (_current is { } current && current.Version == key)
            return current;

        var uploaded = entries.Select(e => (Entry: e, Certificate: X509CertificateLoader.LoadCertificate(e.Certificate))).ToList();
        var set = new TrustAnchorSet(key, [.. uploaded.Where(u => u.Entry.IsVerified).Select(u => u.Certificate)], uploaded.Select(u => u.Certificate).ToList());
        _current = set;
        return set;
    }
}
