using System.Security.Cryptography.X509Certificates;

namespace ProvisioningEndpoint.Model;

/// <summary>
/// An uploaded CA certificate. It starts Unverified; proof of possession (a verification
/// certificate whose subject CN is the current verification code, signed by the CA's key) makes
/// it Verified. Only verified certificates anchor device chains.
/// </summary>
/// <param name="Name">The certificate's name in the service.</param>
/// <param name="Certificate">DER of the CA certificate.</param>
/// <param name="IsVerified">True once proof of possession succeeded.</param>
/// <param name="VerificationCode">The current verification code, if one was generated and not yet used.</param>
/// <param name="VerificationCodeExpiresUtc">When the current code stops being accepted.</param>
/// <param name="Etag">Changes with every update; code generation and verification must name the current one.</param>
/// <param name="CreatedUtc">Upload time.</param>
/// <param name="UpdatedUtc">Last change.</param>
public sealed record CaCertificateEntry(
    string Name,
    byte[] Certificate,
    bool IsVerified,
    string? VerificationCode,
    DateTimeOffset? VerificationCodeExpiresUtc,
    string Etag,
    DateTimeOffset CreatedUtc,
    DateTimeOffset UpdatedUtc)
{
    /// <summary>SHA-1 thumbprint, upper-case hex (as DPS shows it).</summary>
    public string Thumbprint => X509CertificateLoader.LoadCertificate(Certificate).Thumbprint;
}
