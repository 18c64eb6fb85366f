using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Inspection;

/// <summary>What an operator reads off a certificate: names, thumbprints as DPS shows them, validity, key and usages.</summary>
/// <param name="Subject">The subject distinguished name.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
/// <param name="Serial">The serial number, hex.</param>
/// <param name="Thumbprint">SHA-1 of the DER, upper-case hex: as the DPS portal and IoT Hub show it.</param>
/// <param name="Sha256Thumbprint">SHA-256 of the DER, upper-case hex.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Key">The key type, e.g. "EC P-256".</param>
/// <param name="IsCa">basicConstraints cA (RFC 5280 4.2.1.9).</param>
/// <param name="PathLength">pathLenConstraint; null when absent.</param>
/// <param name="KeyUsage">keyUsage names (RFC 5280 4.2.1.3); empty when absent.</param>
/// <param name="ExtendedKeyUsage">extKeyUsage names (RFC 5280 4.2.1.12); empty when absent (any use).</param>
/// <param name="SelfSigned">True for a self-signed certificate.</param>
public sealed record CertificateDetails(
    string Subject,
    string Issuer,
    string Serial,
    string Thumbprint,
    string Sha256Thumbprint,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Key,
    bool IsCa,
    int? PathLength,
    IReadOnlyList<string> KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsage,
    bool SelfSigned)
{
    /// <summary>Reads the details of <paramref name="certificate"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="certificate"/> is null.</exception>
    public static CertificateDetails Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        var extended = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return new CertificateDetails(
            certificate.Subject,
            certificate.Issuer,
            SerialNumbers.Of(certificate),
            certificate.GetCertHashString(HashAlgorithmName.SHA1),
            certificate.GetCertHashString(HashAlgorithmName.SHA256),
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            KeyStrengthPolicy.Judge(certificate.PublicKey).Description,
            constraints?.CertificateAuthority == true,
            constraints is { HasPathLengthConstraint: true } ? constraints.PathLengthConstraint : null,
            usage is null ? [] : KeyUsageNames(usage.KeyUsages),
            extended is null ? [] : [.. extended.EnhancedKeyUsages.Cast<Oid>().Select(Chains.ExtendedKeyUsageNames.Of)],
            Chains.CertificateSignature.IsSelfSigned(certificate));
    }

    private static List<string> KeyUsageNames(X509KeyUsageFlags flags)
    {
        // RFC 5280 4.2.1.3 names, in the RFC's bit order.
        (X509KeyUsageFlags Flag, string Name)[] names =
        [
            (X509KeyUsageFlags.DigitalSignature, "digitalSignature"), (X509KeyUsageFlags.NonRepudiation, "nonRepudiation"),
            (X509KeyUsageFlags.KeyEncipherment, "keyEncipherment"), (X509KeyUsageFlags.DataEncipherment, "dataEncipherment"),
            (X509KeyUsageFlags.KeyAgreement, "keyAgreement"), (X509KeyUsageFlags.KeyCertSign, "keyCertSign"),
            (X509KeyUsageFlags.CrlSign, "cRLSign"), (X509KeyUsageFlags.EncipherOnly, "encipherOnly"), (X509KeyUsageFlags.DecipherOnly, "decipherOnly"),
        ];
        return [.. names.Where(n => flags.HasFlag(n.Flag)).Select(n => n.Name)];
    }
}
