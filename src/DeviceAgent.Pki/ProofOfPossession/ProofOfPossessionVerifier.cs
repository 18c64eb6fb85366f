using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Profiles;

namespace DeviceAgent.Pki.ProofOfPossession;

/// <summary>
/// Checks a verification certificate the way DPS does before it marks a CA Verified: its subject
/// CN is the verification code the service issued, its issuer is the CA, its signature verifies
/// with the CA certificate's public key (so it was made with the CA's private key), and it is
/// within its validity. Thread-safe.
/// </summary>
public static class ProofOfPossessionVerifier
{
    /// <summary>Judges <paramref name="verificationCertificate"/> as proof of possession of <paramref name="caCertificate"/>'s key.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ProofOfPossessionResult Verify(X509Certificate2 caCertificate, X509Certificate2 verificationCertificate, VerificationCode code, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caCertificate);
        ArgumentNullException.ThrowIfNull(verificationCertificate);
        ArgumentNullException.ThrowIfNull(code);
        var commonName = DistinguishedNames.CommonName(verificationCertificate.SubjectName);
        if (!code.Matches(commonName))
            return new(ProofOfPossessionProblem.SubjectMismatch, $"the verification certificate's subject CN is '{commonName}', not the verification code '{code}'");
        if (!CertificateSignature.NamesChain(verificationCertificate, caCertificate))
        {
            return new(ProofOfPossessionProblem.IssuerMismatch,
                $"the verification certificate is issued by \"{verificationCertificate.Issuer}\", not by the CA \"{caCertificate.Subject}\" (RFC 5280 6.1.3 (a)(4))");
        }
        var signature = CertificateSignature.Verify(verificationCertificate, caCertificate);
        if (!signature.IsValid)
        {
            return new(ProofOfPossessionProblem.BadSignature,
                $"the verification certificate's signature does not verify with the CA's public key ({signature.Problem}): it was not signed with the CA's private key (RFC 5280 6.1.3 (a)(1))");
        }
        var notBefore = new DateTimeOffset(verificationCertificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(verificationCertificate.NotAfter.ToUniversalTime());
        if (now < notBefore)
            return new(ProofOfPossessionProblem.NotYetValid, $"the verification certificate is not valid before {notBefore:yyyy-MM-dd'T'HH:mm:ss'Z'} (RFC 5280 4.1.2.5)");
        if (now > notAfter)
            return new(ProofOfPossessionProblem.Expired, $"the verification certificate expired on {notAfter:yyyy-MM-dd'T'HH:mm:ss'Z'} (RFC 5280 4.1.2.5); make a new one");
        return new(null, $"the verification certificate carries the code and was signed with the private key of \"{caCertificate.Subject}\"");
    }
}
