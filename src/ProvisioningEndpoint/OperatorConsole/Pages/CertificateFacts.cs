using System.Security.Cryptography.X509Certificates;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>What the console shows of a certificate (no private material exists in the endpoint's store).</summary>
internal sealed record CertificateFacts(string Subject, string Issuer, string Thumbprint, DateTimeOffset NotBefore, DateTimeOffset NotAfter)
{
    /// <summary>The facts of a DER certificate.</summary>
    public static CertificateFacts Of(byte[] der)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return new CertificateFacts(certificate.Subject, certificate.Issuer, certificate.Thumbprint,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    /// <summary>"2027-01-02 03:04 UTC".</summary>
    public static string Show(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
