using System.Security.Cryptography;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>
/// Verification codes (DESIGN.md): 192 random bits as upper-case hex (48 characters, within a
/// CN's 64), bound to one CA certificate entry and its etag: stored with the entry, replaced by
/// regeneration, cleared by a successful verify or by replacing the certificate, and refused
/// after the configured lifetime.
/// </summary>
internal static class VerificationCodes
{
    /// <summary>A fresh code.</summary>
    public static string New() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
}
