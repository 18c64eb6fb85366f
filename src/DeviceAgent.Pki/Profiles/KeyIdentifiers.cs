using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Profiles;

/// <summary>Subject and authority key identifiers (RFC 5280 4.2.1.2 and 4.2.1.1).</summary>
internal static class KeyIdentifiers
{
    /// <summary>
    /// The subject key identifier of <paramref name="key"/>: the SHA-1 of the subjectPublicKey
    /// BIT STRING (RFC 5280 4.2.1.2, method (1)); non-critical, as the RFC requires.
    /// </summary>
    public static X509SubjectKeyIdentifierExtension SubjectKeyIdentifier(PublicKey key) =>
        new(key, X509SubjectKeyIdentifierHashAlgorithm.Sha1, critical: false);

    /// <summary>
    /// The authority key identifier for certificates <paramref name="issuer"/> signs: its subject
    /// key identifier when it has one (RFC 5280 4.2.1.1: the keyIdentifier of the AKI equals the
    /// issuer's SKI), computed by method (1) when it has none (an imported version 1 root).
    /// </summary>
    public static X509AuthorityKeyIdentifierExtension AuthorityKeyIdentifier(X509Certificate2 issuer) =>
        AuthorityKeyIdentifier(issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? SubjectKeyIdentifier(issuer.PublicKey));

    /// <summary>The authority key identifier naming the key whose SKI is <paramref name="issuerKeyIdentifier"/>.</summary>
    public static X509AuthorityKeyIdentifierExtension AuthorityKeyIdentifier(X509SubjectKeyIdentifierExtension issuerKeyIdentifier) =>
        X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerKeyIdentifier);
}
