using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains.Trust;

namespace Factory.Endpoint;

/// <summary>
/// How bringup trusts the service's TLS certificate: the system trust store (the real DPS), or
/// only the CA certificates of a PEM file (a local endpoint's server CA, <c>--trust</c>). The host
/// name is always checked.
/// </summary>
internal sealed class ServiceTrust
{
    private readonly X509Certificate2Collection? _anchors;

    private ServiceTrust(X509Certificate2Collection? anchors, string description)
    {
        _anchors = anchors;
        Description = description;
    }

    /// <summary>Where trust comes from, for messages.</summary>
    public string Description { get; }

    /// <summary>The system trust store.</summary>
    public static ServiceTrust System { get; } = new(null, "the system trust store");

    /// <summary>Only the certificates of a PEM file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">It holds no PEM certificate.</exception>
    public static ServiceTrust FromPemFile(string path)
    {
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"'{path}' is not a PEM certificate file: {e.Message}", e);
        }
        return anchors.Count > 0 ? new ServiceTrust(anchors, $"'{path}'") : throw new FormatException($"'{path}' holds no PEM certificate");
    }

    /// <summary>The TLS check for an HTTPS client.</summary>
    public RemoteCertificateValidationCallback Callback => (_, certificate, chain, errors) =>
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        if (_anchors is null)
            return errors == SslPolicyErrors.None;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var intermediates = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToArray() ?? [];
        using var result = ChainTrust.Evaluate(leaf, intermediates, _anchors, DateTimeOffset.UtcNow, ChainTrust.ServerAuthentication);
        return result.IsTrusted;
    };
}
