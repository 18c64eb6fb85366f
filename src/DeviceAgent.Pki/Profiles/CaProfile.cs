using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Profiles;

/// <summary>
/// The extensions of a CA certificate (a root, a factory CA, a production-line CA):
/// basicConstraints critical with cA TRUE and the path length constraint (RFC 5280 4.2.1.9: "MUST
/// appear as a critical extension in all CA certificates that contain public keys used to
/// validate digital signatures on certificates"), keyUsage critical with keyCertSign and cRLSign
/// (RFC 5280 4.2.1.3), the subject key identifier (RFC 5280 4.2.1.2: MUST appear in CA
/// certificates) and the authority key identifier (RFC 5280 4.2.1.1; on a self-signed root it
/// repeats the root's own SKI). No extKeyUsage: a CA with one restricts every certificate below it.
/// </summary>
internal static class CaProfile
{
    /// <param name="request">The request to add the extensions to.</param>
    /// <param name="pathLength">pathLenConstraint, or null for none (unlimited depth below).</param>
    /// <param name="issuer">The issuing CA's certificate; null for a self-signed root.</param>
    public static void Apply(CertificateRequest request, int? pathLength, X509Certificate2? issuer)
    {
        var extensions = request.CertificateExtensions;
        extensions.Add(pathLength is { } length
            ? new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, length, critical: true)
            : new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        var subjectKeyIdentifier = KeyIdentifiers.SubjectKeyIdentifier(request.PublicKey);
        extensions.Add(subjectKeyIdentifier);
        extensions.Add(issuer is null
            ? KeyIdentifiers.AuthorityKeyIdentifier(subjectKeyIdentifier)
            : KeyIdentifiers.AuthorityKeyIdentifier(issuer));
    }
}
