using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Profiles;

/// <summary>
/// The extensions of a proof-of-possession verification certificate: an end entity (basicConstraints
/// cA FALSE, RFC 5280 4.2.1.9) with keyUsage digitalSignature, whose subject CN is the DPS
/// verification code and whose issuer is the CA being verified; the authority key identifier
/// names the CA's key (RFC 5280 4.2.1.1). DPS checks only the subject and the signature; the
/// certificate is never used for anything else, so it carries no extKeyUsage.
/// </summary>
internal static class VerificationProfile
{
    public static void Apply(CertificateRequest request, X509Certificate2 issuer)
    {
        var extensions = request.CertificateExtensions;
        extensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        extensions.Add(KeyIdentifiers.SubjectKeyIdentifier(request.PublicKey));
        extensions.Add(KeyIdentifiers.AuthorityKeyIdentifier(issuer));
    }
}
