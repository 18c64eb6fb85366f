using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Profiles;

namespace DeviceAgent.Pki.ProofOfPossession;

/// <summary>
/// Proof-of-possession verification certificates, as DPS asks for them: subject CN = the
/// verification code, issued and signed by the CA being verified with its private key wherever
/// it lives (one C_Sign for a token key), short-lived. The certificate's own key is a throw-away
/// EC P-256 key whose private half is dropped at once: the certificate proves the CA's key, not
/// its own. Logged in the CA's issuance log like everything the CA signs.
/// </summary>
public static class VerificationCertificates
{
    /// <summary>The validity used when none is given: long enough to upload, short enough to be useless later.</summary>
    public static TimeSpan DefaultValidity { get; } = TimeSpan.FromDays(1);

    /// <summary>The longest validity accepted.</summary>
    public static TimeSpan MaximumValidity { get; } = TimeSpan.FromDays(30);

    /// <summary>Issues a verification certificate for <paramref name="code"/> from <paramref name="ca"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validity"/> is not positive or exceeds <see cref="MaximumValidity"/>.</exception>
    /// <exception cref="CertificateAuthorityException">The signature does not verify (an integrity failure).</exception>
    /// <exception cref="DeviceAgent.Keys.KeyCustodyException">The token refused to sign.</exception>
    public static IssuedCertificate Issue(CertificateAuthority ca, VerificationCode code, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(code);
        var lifetime = validity ?? DefaultValidity;
        if (lifetime <= TimeSpan.Zero || lifetime > MaximumValidity)
            throw new ArgumentOutOfRangeException(nameof(validity), lifetime, $"a verification certificate is valid for more than zero and at most {MaximumValidity.TotalDays:0} days");
        using var throwAway = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(throwAway.ExportSubjectPublicKeyInfo(), out _);
        return ca.Sign([new PendingCertificate(DistinguishedNames.FromCommonName(code.Value), publicKey, IssuanceKind.Verification,
            lifetime, VerificationProfile.Apply, null, null)])[0];
    }
}
