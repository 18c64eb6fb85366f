using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>A certificate in its place in the chain being validated, with the extensions the checks read.</summary>
internal sealed class ChainMember
{
    public ChainMember(X509Certificate2 certificate, int bundlePosition, CertificateRole role)
    {
        Certificate = certificate;
        Identity = CertificateIdentity.Of(certificate, bundlePosition, role);
        BasicConstraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        KeyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        ExtendedKeyUsage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
    }

    public X509Certificate2 Certificate { get; }

    public CertificateIdentity Identity { get; }

    /// <summary>RFC 5280 4.2.1.9; null when absent.</summary>
    public X509BasicConstraintsExtension? BasicConstraints { get; }

    /// <summary>RFC 5280 4.2.1.3; null when absent.</summary>
    public X509KeyUsageExtension? KeyUsage { get; }

    /// <summary>RFC 5280 4.2.1.12; null when absent.</summary>
    public X509EnhancedKeyUsageExtension? ExtendedKeyUsage { get; }

    public bool IsCa => BasicConstraints?.CertificateAuthority == true;

    /// <summary>How messages refer to it briefly, when another certificate is the subject of the sentence.</summary>
    public string ShortName => FormattableString.Invariant($"#{Identity.BundlePosition} \"{Identity.Subject}\"");

    public ChainViolation Violates(ChainRule rule, string reason) => new(rule, Identity, reason);
}
