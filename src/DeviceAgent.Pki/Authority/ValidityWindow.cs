using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// The validity period of a certificate a CA issues (RFC 5280 4.1.2.5): starting a few minutes
/// in the past, so that a device whose clock lags slightly accepts it at once, and never outside
/// the validity of any CA above it, since a path is only valid where every certificate of it is
/// (RFC 5280 6.1.3 (a)(2)). A requested end beyond the CA's own end is clamped, and says so.
/// </summary>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Clamped">True when the requested end was cut to a CA's end of validity.</param>
public sealed record ValidityWindow(DateTimeOffset NotBefore, DateTimeOffset NotAfter, bool Clamped)
{
    /// <summary>How far back a new certificate's validity starts, for clock skew.</summary>
    public static TimeSpan Backdate { get; } = TimeSpan.FromMinutes(5);

    internal static ValidityWindow Compute(DateTimeOffset now, TimeSpan validity, IEnumerable<X509Certificate2> issuers)
    {
        var notBefore = Truncate(now - Backdate);
        var notAfter = Truncate(now + validity);
        var clamped = false;
        foreach (var issuer in issuers)
        {
            var issuerNotBefore = new DateTimeOffset(issuer.NotBefore.ToUniversalTime());
            var issuerNotAfter = new DateTimeOffset(issuer.NotAfter.ToUniversalTime());
            if (notBefore < issuerNotBefore)
                notBefore = issuerNotBefore;
            if (notAfter > issuerNotAfter)
            {
                notAfter = issuerNotAfter;
                clamped = true;
            }
        }
        return new ValidityWindow(notBefore, notAfter, clamped);
    }

    // Certificates carry whole seconds (RFC 5280 4.1.2.5.1/4.1.2.5.2).
    private static DateTimeOffset Truncate(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
