using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains.Trust;

namespace DeviceAgent.Pki.Tls;

/// <summary>
/// How the device decides to trust a server: the system trust store (the default, as for the
/// real DPS), or only the roots of a PEM bundle (a local endpoint, a test server).
/// Host names are always checked.
/// </summary>
public sealed class TlsServerTrust
{
    private readonly X509Certificate2Collection? _anchors;

    private TlsServerTrust(X509Certificate2Collection? anchors, string description)
    {
        _anchors = anchors;
        Description = description;
    }

    /// <summary>The operating system's trust store.</summary>
    public static TlsServerTrust SystemStore { get; } = new(null, "the system trust store");

    /// <summary>Where trust comes from, for messages.</summary>
    public string Description { get; }

    /// <summary>Trusts only the certificates of a PEM file.</summary>
    /// <exception cref="TlsConnectionException">The file is missing or holds no certificate.</exception>
    public static TlsServerTrust FromPemFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new TlsConnectionException($"cannot read the trust bundle '{path}': {e.Message}", e);
        }
        if (anchors.Count == 0)
            throw new TlsConnectionException($"the trust bundle '{path}' holds no PEM certificate");
        return new TlsServerTrust(anchors, $"trust bundle '{path}'");
    }

    /// <summary>Trusts only the given certificates.</summary>
    public static TlsServerTrust FromCertificates(X509Certificate2Collection anchors, string description) =>
        new(anchors ?? throw new ArgumentNullException(nameof(anchors)), description);

    internal (bool Trusted, string? Problem) Check(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
            return (false, "the server sent no certificate");
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return (false, $"the server certificate \"{certificate.Subject}\" does not name the host that was dialled");
        if (_anchors is null)
        {
            return errors == SslPolicyErrors.None
                ? (true, null)
                : (false, $"the server certificate \"{certificate.Subject}\" is not trusted by {Description} ({Describe(chain)})");
        }

        var intermediates = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToArray() ?? [];
        using var result = ChainTrust.Evaluate(certificate, intermediates, _anchors, DateTimeOffset.UtcNow, ChainTrust.ServerAuthentication);
        return result.IsTrusted
            ? (true, null)
            : (false, $"the server certificate \"{certificate.Subject}\" is not trusted by {Description}: " +
                string.Join("; ", result.Problems.Select(p => p.ToString())));
    }

    private static string Describe(X509Chain? chain) =>
        chain is null ? "no chain" : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
}
