using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains.Trust;

namespace ProvisioningEndpoint.Attestation;

/// <summary>
/// The certificates a device sent in its TLS handshake: its leaf, and the intermediates it
/// presented (as sent, possibly none). Owned: dispose it with the connection.
/// </summary>
public sealed class PresentedChain(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates) : IDisposable
{
    /// <summary>The device certificate.</summary>
    public X509Certificate2 Leaf { get; } = leaf;

    /// <summary>The other certificates the device sent.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; } = intermediates;

    /// <summary>
    /// The TLS stack's judgement of this chain, when the listener had it built against the trust
    /// anchors of <see cref="HandshakeTrust.AnchorsVersion"/> during the handshake; null otherwise.
    /// </summary>
    public HandshakeTrust? HandshakeTrust { get; init; }

    /// <summary>The leaf's subject common name, or null when it has none.</summary>
    public string? CommonName => Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } cn ? cn : null;

    /// <inheritdoc />
    public void Dispose()
    {
        HandshakeTrust?.Result.Dispose();
        Leaf.Dispose();
        foreach (var certificate in Intermediates)
            certificate.Dispose();
    }
}

/// <summary>A chain's trust as the TLS handshake judged it, and the anchors it was judged against.</summary>
/// <param name="AnchorsVersion">The <see cref="TrustAnchorSet.Version"/> of the anchors.</param>
/// <param name="Result">The outcome (owned by the <see cref="PresentedChain"/>).</param>
public sealed record HandshakeTrust(string AnchorsVersion, ChainTrustResult Result);
