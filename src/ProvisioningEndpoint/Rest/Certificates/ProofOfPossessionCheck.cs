using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>
/// Judges a verification certificate as DPS does before it marks a CA Verified: its subject CN
/// is the current verification code, it was signed with the CA's private key (its signature
/// verifies with the CA certificate's public key, RFC 5280 6.1.3 (a)(1)), and it is valid now.
/// </summary>
internal static class ProofOfPossessionCheck
{
    /// <summary>Why the certificate does not prove possession, or null when it does.</summary>
    public static string? FindProblem(X509Certificate2 caCertificate, X509Certificate2 verificationCertificate, string code, DateTimeOffset now)
    {
        var commonName = verificationCertificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.Equals(commonName, code, StringComparison.OrdinalIgnoreCase))
            return $"the verification certificate's subject CN is '{commonName}', not the current verification code (a code is replaced when a new one is generated)";
        if (!CertificateSignature.NamesChain(verificationCertificate, caCertificate))
            return $"the verification certificate is issued by \"{verificationCertificate.Issuer}\", not by the CA \"{caCertificate.Subject}\" (RFC 5280 6.1.3 (a)(4))";
        if (!CertificateSignature.IsIssuedBy(verificationCertificate, caCertificate))
            return "the verification certificate's signature does not verify with the CA's public key: it was not signed with the CA's private key (RFC 5280 6.1.3 (a)(1))";
        var notBefore = new DateTimeOffset(verificationCertificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(verificationCertificate.NotAfter.ToUniversalTime());
        if (now < notBefore || now > notAfter)
            return $"the verification certificate is valid {notBefore:yyyy-MM-dd'T'HH:mm:ss'Z'} to {notAfter:yyyy-MM-dd'T'HH:mm:ss'Z'}, not now (RFC 5280 4.1.2.5); make a new one";
        return null;
    }
}
