using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Authority;

/// <summary>A certificate a CA signed, with its log record. Owns the certificate: dispose it.</summary>
/// <param name="Certificate">The certificate (no private key).</param>
/// <param name="Record">What the issuance log recorded for it.</param>
/// <param name="ValidityClamped">True when its end of validity was cut to the CA's.</param>
public sealed record IssuedCertificate(X509Certificate2 Certificate, IssuanceRecord Record, bool ValidityClamped) : IDisposable
{
    /// <summary>Disposes the certificate.</summary>
    public void Dispose() => Certificate.Dispose();
}
