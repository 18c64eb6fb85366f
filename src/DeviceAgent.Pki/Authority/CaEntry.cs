using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// One CA of a <see cref="CaStore"/>, as its directory holds it: the certificate, the key
/// reference, the serial state and the issuance log. Reading an entry opens no key; to sign, open
/// a <see cref="CertificateAuthority"/>. Owns its certificate: dispose it.
/// </summary>
public sealed class CaEntry : IDisposable
{
    internal CaEntry(string directory, CaDescriptor descriptor, X509Certificate2 certificate)
    {
        Directory = directory;
        Descriptor = descriptor;
        Certificate = certificate;
        Log = new IssuanceLog(Path.Combine(directory, IssuanceLog.FileName));
        Serials = new SerialNumberRegistry(Path.Combine(directory, SerialNumberRegistry.FileName));
    }

    /// <summary>The CA's name in the store.</summary>
    public string Name => Descriptor.Name;

    /// <summary>The CA's directory.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The name of the issuing CA in the store; null for a root, or an imported CA whose issuer is not in the store.</summary>
    public string? IssuerName => Descriptor.Issuer;

    /// <summary>Where the private key lives.</summary>
    public CaKeyLocation Key => Descriptor.Key;

    /// <summary>When the CA was created or imported.</summary>
    public DateTimeOffset Created => Descriptor.Created;

    /// <summary><c>created</c> or <c>imported</c>.</summary>
    public string Origin => Descriptor.Origin;

    /// <summary>True when the certificate is self-signed: a root.</summary>
    public bool IsRoot => CertificateSignature.IsSelfSigned(Certificate);

    /// <summary>The CA's issuance log.</summary>
    public IssuanceLog Log { get; }

    /// <summary>The certificate file.</summary>
    public string CertificatePath => Path.Combine(Directory, CaStore.CertificateFileName);

    internal CaDescriptor Descriptor { get; }

    internal SerialNumberRegistry Serials { get; }

    /// <summary>Disposes the certificate.</summary>
    public void Dispose() => Certificate.Dispose();
}
