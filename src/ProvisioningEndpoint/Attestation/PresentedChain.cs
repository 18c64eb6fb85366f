using System.Security.Cryptography.X509Certificates;

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

    /// <summary>The leaf's subject common name, or null when it has none.</summary>
    public string? CommonName => Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } cn ? cn : null;

    /// <inheritdoc />
    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var certificate in Intermediates)
            certificate.Dispose();
    }
}
