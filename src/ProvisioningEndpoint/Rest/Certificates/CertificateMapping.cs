using System.Security.Cryptography.X509Certificates;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Wire;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>CA certificates as ARM-like resources.</summary>
internal static class CertificateMapping
{
    /// <summary>The resource type, as DPS's ARM provider names it.</summary>
    public const string ResourceType = "Microsoft.Devices/provisioningServices/certificates";

    /// <summary>The entry as a resource; with the current verification code when <paramref name="withCode"/>.</summary>
    public static CertificateResponseWire ToWire(CaCertificateEntry entry, bool withCode = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var certificate = X509CertificateLoader.LoadCertificate(entry.Certificate);
        return new CertificateResponseWire
        {
            Id = "/certificates/" + Uri.EscapeDataString(entry.Name),
            Name = entry.Name,
            Type = ResourceType,
            Etag = entry.Etag,
            Properties = new CertificatePropertiesWire
            {
                Subject = certificate.Subject,
                Expiry = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
                Thumbprint = certificate.Thumbprint,
                IsVerified = entry.IsVerified,
                Certificate = Convert.ToBase64String(entry.Certificate),
                Created = entry.CreatedUtc,
                Updated = entry.UpdatedUtc,
                VerificationCode = withCode ? entry.VerificationCode : null,
                VerificationCodeExpiry = withCode ? entry.VerificationCodeExpiresUtc : null,
            },
        };
    }
}
