using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Setup;

/// <summary>
/// The data directory: configuration, the SQLite store, the server CA and TLS certificate, and
/// the owner's shared access key. <see cref="Initialize"/> creates what is missing on first start
/// and never replaces what exists.
/// </summary>
public sealed class EndpointDataDirectory(string path)
{
    /// <summary>The owner policy name, as DPS names it.</summary>
    public const string OwnerPolicy = "provisioningserviceowner";

    /// <summary>The hub owner policy name, as IoT Hub names it; signed with the same owner key.</summary>
    public const string HubOwnerPolicy = "iothubowner";

    /// <summary>The directory.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>endpoint.json.</summary>
    public string ConfigurationFile => Combine("endpoint.json");

    /// <summary>The SQLite database.</summary>
    public string DatabaseFile => Combine("endpoint.db");

    /// <summary>The server CA certificate clients trust.</summary>
    public string ServerCaCertificateFile => Combine("tls", "server-ca.pem");

    private string ServerCaKeyFile => Combine("tls", "server-ca.key");

    private string ServerCertificateFile => Combine("tls", "server.pem");

    private string ServerKeyFile => Combine("tls", "server.key");

    /// <summary>The owner's shared access key (base64), mode 0600.</summary>
    public string OwnerKeyFile => Combine("owner.key");

    /// <summary>True once first-start initialisation happened.</summary>
    public bool IsInitialized => File.Exists(ConfigurationFile) && File.Exists(OwnerKeyFile) && File.Exists(ServerCertificateFile);

    /// <summary>
    /// Creates what is missing: configuration (with a new ID scope), server CA and TLS
    /// certificate, owner key. Returns true when the owner key was created now (the only time the
    /// connection string is shown).
    /// </summary>
    public bool Initialize(EndpointConfiguration defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(Combine("tls"));
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!File.Exists(ConfigurationFile))
        {
            if (string.IsNullOrEmpty(defaults.IdScope))
                defaults.IdScope = "0ne" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
            defaults.Save(ConfigurationFile);
        }
        var configuration = EndpointConfiguration.Load(ConfigurationFile);
        if (!File.Exists(ServerCertificateFile))
            CreateServerCertificates(configuration);
        if (File.Exists(OwnerKeyFile))
            return false;
        DataFiles.WriteAtomically(OwnerKeyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n", secret: true);
        return true;
    }

    /// <summary>The configuration.</summary>
    public EndpointConfiguration LoadConfiguration() => EndpointConfiguration.Load(ConfigurationFile);

    /// <summary>The owner's key bytes.</summary>
    public byte[] ReadOwnerKey() => Convert.FromBase64String(File.ReadAllText(OwnerKeyFile).Trim());

    /// <summary>The owner connection string: <c>HostName=host:port;SharedAccessKeyName=...;SharedAccessKey=...</c>.</summary>
    public string OwnerConnectionString(EndpointConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return $"HostName={configuration.HostName}:{configuration.RestPort};SharedAccessKeyName={OwnerPolicy};SharedAccessKey={File.ReadAllText(OwnerKeyFile).Trim()}";
    }

    /// <summary>
    /// A hub's owner connection string for IoT Hub service clients:
    /// <c>HostName=host:registryPort;SharedAccessKeyName=iothubowner;SharedAccessKey=...</c>, the same
    /// owner key as the provisioning service's; null when the hub has no registry port.
    /// </summary>
    public string? HubConnectionString(HubDefinition hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return hub.RegistryPort > 0
            ? $"HostName={hub.HostName}:{hub.RegistryPort};SharedAccessKeyName={HubOwnerPolicy};SharedAccessKey={File.ReadAllText(OwnerKeyFile).Trim()}"
            : null;
    }

    /// <summary>The TLS server certificate with its key, and its issuer for the chain sent to clients.</summary>
    public (X509Certificate2 Certificate, X509Certificate2 Issuer) LoadServerCertificate()
    {
        var certificate = X509Certificate2.CreateFromPemFile(ServerCertificateFile, ServerKeyFile);
        // Re-import so the key is usable by SslStream on every platform (ephemeral PEM keys are not, on some).
        var usable = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        certificate.Dispose();
        return (usable, X509CertificateLoader.LoadCertificateFromFile(ServerCaCertificateFile));
    }

    private void CreateServerCertificates(EndpointConfiguration configuration)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=DeviceAgent local provisioning endpoint CA {configuration.IdScope}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true)); // RFC 5280 4.2.1.9
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={configuration.HostName}", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in configuration.ServerNames.Append(configuration.HostName).Concat(configuration.Hubs.Select(h => h.HostName)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(name, out var address))
                names.AddIpAddress(address);
            else
                names.AddDnsName(name);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var server = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2), serial);

        DataFiles.WriteAtomically(ServerCaKeyFile, caKey.ExportPkcs8PrivateKeyPem(), secret: true);
        DataFiles.WriteAtomically(ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem(), secret: true);
        DataFiles.WriteAtomically(ServerCaCertificateFile, ca.ExportCertificatePem() + "\n", secret: false);
        DataFiles.WriteAtomically(ServerCertificateFile, server.ExportCertificatePem() + "\n", secret: false);
    }

    private string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
