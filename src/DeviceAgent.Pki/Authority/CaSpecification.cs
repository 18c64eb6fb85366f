using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;

namespace DeviceAgent.Pki.Authority;

/// <summary>What a new CA is to be.</summary>
/// <param name="Name">Its name in the store (a directory name).</param>
/// <param name="Subject">Its subject distinguished name.</param>
/// <param name="KeyAlgorithm">The key type to generate (an existing token key is used as it is).</param>
/// <param name="PathLength">Its pathLenConstraint (RFC 5280 4.2.1.9); null for none.</param>
/// <param name="Validity">How long it is valid (an intermediate's is clamped to its issuer's).</param>
/// <param name="KeyLocation">Where its key lives: an encrypted file in the store, or a PKCS#11 token.</param>
public sealed record CaSpecification(
    string Name, X500DistinguishedName Subject, KeyAlgorithm KeyAlgorithm, int? PathLength, TimeSpan Validity, CaKeyLocation KeyLocation);

/// <summary>The outcome of creating (or importing) a CA. Owns the entry: dispose it.</summary>
/// <param name="Entry">The CA as the store now holds it.</param>
/// <param name="AlreadyExisted">True when the same CA was already in the store and nothing was done (a rerun).</param>
/// <param name="Key">The key: its type and whether it was reused; null when nothing was done.</param>
/// <param name="Warnings">What the operator should know (a token key whose custody is not proven, a clamped validity).</param>
public sealed record CaCreation(CaEntry Entry, bool AlreadyExisted, PreparedKey? Key, IReadOnlyList<string> Warnings) : IDisposable
{
    /// <summary>Disposes the entry.</summary>
    public void Dispose() => Entry.Dispose();
}
