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
