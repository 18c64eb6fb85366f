using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Tests.Support;

/// <summary>What a test certificate carries; null leaves an extension out.</summary>
internal sealed record CertificateProfile
{
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";

    public bool? CertificateAuthority { get; init; }

    public int? PathLength { get; init; }

    public X509KeyUsageFlags? KeyUsage { get; init; }

    public IReadOnlyList<string>? ExtendedKeyUsages { get; init; }

    /// <summary>notBefore relative to <see cref="TestPki.Now"/>.</summary>
    public TimeSpan NotBefore { get; init; } = TimeSpan.FromDays(-30);

    /// <summary>notAfter relative to <see cref="TestPki.Now"/>.</summary>
    public TimeSpan NotAfter { get; init; } = TimeSpan.FromDays(365);

    public static CertificateProfile Ca { get; } = new()
    {
        CertificateAuthority = true,
        KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
    };

    public static CertificateProfile Device { get; } = new()
    {
        CertificateAuthority = false,
        KeyUsage = X509KeyUsageFlags.DigitalSignature,
        ExtendedKeyUsages = [ClientAuth],
    };

    public static CertificateProfile Expired(CertificateProfile profile) =>
        profile with { NotBefore = TimeSpan.FromDays(-400), NotAfter = TimeSpan.FromDays(-1) };
}
