using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Profiles;

/// <summary>
/// The extensions of a device (end-entity) certificate: basicConstraints critical with cA FALSE
/// (RFC 5280 4.2.1.9), keyUsage critical with digitalSignature, plus keyEncipherment for an RSA
/// key (RFC 5280 4.2.1.3; TLS 1.2 RSA key transport, RFC 5246 7.4.2), extKeyUsage clientAuth
/// (RFC 5280 4.2.1.12 id-kp-clientAuth: the device authenticates as a TLS client to DPS and IoT
/// Hub), the subject key identifier (RFC 5280 4.2.1.2) and the authority key identifier (RFC 5280
/// 4.2.1.1). The subject is CN = the registration id (DPS: the leaf's subject CN is the registration id).
/// </summary>
internal static class DeviceProfile
{
    /// <summary>id-kp-clientAuth (RFC 5280 4.2.1.12).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public static void Apply(CertificateRequest request, X509Certificate2 issuer)
    {
        var extensions = request.CertificateExtensions;
        extensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        var usage = X509KeyUsageFlags.DigitalSignature;
        if (request.PublicKey.Oid.Value == "1.2.840.113549.1.1.1") // RFC 3279 2.3.1 rsaEncryption
            usage |= X509KeyUsageFlags.KeyEncipherment;
        extensions.Add(new X509KeyUsageExtension(usage, critical: true));
        extensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthentication, "clientAuth")], critical: false));
        extensions.Add(KeyIdentifiers.SubjectKeyIdentifier(request.PublicKey));
        extensions.Add(KeyIdentifiers.AuthorityKeyIdentifier(issuer));
    }
}
