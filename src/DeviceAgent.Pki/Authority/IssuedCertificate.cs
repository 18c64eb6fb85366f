using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// A certificate a CA signed, with its log record. Holds the DER; the <see cref="X509Certificate2"/>
/// is made on first use (on OpenSSL 3 that costs more than signing, and bulk issuance needs only
/// the PEM). Not thread-safe. Dispose to dispose the certificate object, if one was made.
/// </summary>
public sealed class IssuedCertificate : IDisposable
{
    private readonly byte[] _der;
    private X509Certificate2? _certificate;

    internal IssuedCertificate(byte[] der, IssuanceRecord record, bool validityClamped)
    {
        _der = der;
        Record = record;
        ValidityClamped = validityClamped;
    }

    /// <summary>The certificate's DER.</summary>
    public ReadOnlyMemory<byte> Der => _der;

    /// <summary>What the issuance log recorded for it.</summary>
    public IssuanceRecord Record { get; }

    /// <summary>True when its end of validity was cut to the CA's.</summary>
    public bool ValidityClamped { get; }

    /// <summary>The certificate as an object (no private key), made on first use and owned by this instance.</summary>
    /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
    public X509Certificate2 Certificate
    {
        get
        {
            ObjectDisposedException.ThrowIf(_der.Length == 0, this);
            return _certificate ??= X509CertificateLoader.LoadCertificate(_der);
        }
    }

    /// <summary>The certificate as PEM (RFC 7468 5), ending with a newline.</summary>
    public string ToPem() => PemEncoding.WriteString("CERTIFICATE", _der) + "\n";

    /// <summary>Disposes the certificate object, if one was made.</summary>
    public void Dispose() => _certificate?.Dispose();
}
