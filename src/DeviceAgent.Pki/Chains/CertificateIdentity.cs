using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains;

/// <summary>
/// How a certificate is named to people: its subject, its SHA-1 thumbprint (upper-case hex, as
/// the DPS portal and IoT Hub's thumbprint authentication show it), its SHA-256 thumbprint, and
/// where it sits in the bundle.
/// </summary>
/// <param name="Subject">The subject distinguished name, as .NET formats it ("CN=device-01, O=Contoso").</param>
/// <param name="Thumbprint">SHA-1 over the DER encoding, 40 upper-case hex digits.</param>
/// <param name="Sha256Thumbprint">SHA-256 over the DER encoding, 64 upper-case hex digits.</param>
/// <param name="BundlePosition">1-based position in the bundle file or presented chain; 0 when the certificate is not from one.</param>
/// <param name="Role">The role the certificate takes in the chain as validated.</param>
public sealed record CertificateIdentity(
    string Subject, string Thumbprint, string Sha256Thumbprint, int BundlePosition, CertificateRole Role)
{
    /// <summary>Names <paramref name="certificate"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="certificate"/> is null.</exception>
    public static CertificateIdentity Of(X509Certificate2 certificate, int bundlePosition, CertificateRole role)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateIdentity(
            certificate.Subject,
            certificate.GetCertHashString(HashAlgorithmName.SHA1),
            certificate.GetCertHashString(HashAlgorithmName.SHA256),
            bundlePosition,
            role);
    }

    /// <summary>The SHA-1 thumbprint of a certificate's DER, upper-case hex: how DPS and IoT Hub name certificates.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "A thumbprint names a certificate as DPS and IoT Hub show it; nothing is protected with SHA-1.")]
    internal static string Sha1Thumbprint(ReadOnlySpan<byte> der) => Convert.ToHexString(SHA1.HashData(der));

    /// <summary>
    /// A short description for messages: <c>certificate #2 (intermediate) "CN=Line CA" [SHA-1 thumbprint 0A1B…]</c>.
    /// </summary>
    public override string ToString()
    {
        var position = BundlePosition > 0
            ? string.Create(CultureInfo.InvariantCulture, $"certificate #{BundlePosition}")
            : "certificate";
        return $"{position} ({RoleName(Role)}) \"{Subject}\" [SHA-1 thumbprint {Thumbprint}]";
    }

    internal static string RoleName(CertificateRole role) => role switch
    {
        CertificateRole.Leaf => "leaf",
        CertificateRole.Intermediate => "intermediate",
        CertificateRole.Root => "root",
        _ => role.ToString(),
    };
}
