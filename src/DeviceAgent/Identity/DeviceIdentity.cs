using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Configuration;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;

namespace DeviceAgent.Identity;

/// <summary>
/// The device's identity, ready for TLS: the chain bundle (validated against the key in the
/// token: order, CA flags, validity, clientAuth, and that the leaf certifies that key) and the
/// OpenSSL key object that signs the CertificateVerify inside the TPM/HSM. Dispose it.
/// </summary>
public sealed class DeviceIdentity : IDisposable
{
    private readonly ChainBundle _bundle;
    private readonly AsymmetricAlgorithm _tlsKey;
    private readonly AgentKeyBackends _backends;

    private DeviceIdentity(ChainBundle bundle, AsymmetricAlgorithm tlsKey, TlsClientIdentity tls, AgentKeyBackends backends)
    {
        _bundle = bundle;
        _tlsKey = tlsKey;
        _backends = backends;
        Tls = tls;
    }

    /// <summary>What the TLS client presents.</summary>
    public TlsClientIdentity Tls { get; }

    /// <summary>The leaf certificate.</summary>
    public X509Certificate2 Leaf => _bundle.Leaf;

    /// <summary>The top certificate of the chain bundle: its root when it carries one, else its last intermediate (the leaf when alone).</summary>
    public X509Certificate2 TopCertificate => _bundle.Root ?? (_bundle.Intermediates.Count > 0 ? _bundle.Intermediates[^1] : _bundle.Leaf);

    /// <summary>SHA-1 thumbprint of the leaf (how IoT Hub binds the device).</summary>
    public string Thumbprint => _bundle.Leaf.Thumbprint;

    /// <summary>The leaf's subject CN: the registration id unless configured otherwise.</summary>
    public string? CommonName => _bundle.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } cn ? cn : null;

    /// <summary>Opens the identity the configuration describes.</summary>
    /// <exception cref="IdentityException">The key, its token, its PIN or the chain is not usable; the message says which and why.</exception>
    public static DeviceIdentity Open(IdentitySettings settings) => Open(settings, null);

    /// <summary>The key backends this identity holds (for a renewal's key operations; do not dispose).</summary>
    public AgentKeyBackends Backends => _backends;

    /// <summary>Opens the identity with <paramref name="shared"/>'s key backends (one more reference to them), or new ones when null.</summary>
    /// <exception cref="IdentityException">The key, its token, its PIN or the chain is not usable; the message says which and why.</exception>
    public static DeviceIdentity Open(IdentitySettings settings, AgentKeyBackends? shared)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var backends = shared?.AddReference() ?? AgentKeyBackends.Create(settings.AllowSoftwareKey, settings.TpmSpecification());
        try
        {
            var key = settings.ToKeyReference();
            var backend = backends.For(key);
            var publicKey = backend.GetPublicKey(key);
            var bundle = ChainBundle.Load(settings.Chain!);
            try
            {
                var report = new ChainBundleValidator().Validate(bundle, new ChainValidationOptions
                {
                    LeafKey = ExpectedLeafKey.FromSubjectPublicKeyInfo(publicKey.SubjectPublicKeyInfo.Span, $"the device key {key}"),
                });
                if (!report.IsValid)
                    throw new IdentityException("the chain bundle is not usable:\n  " + string.Join("\n  ", report.Violations.Select(v => v.Message)));
                if (backend is not ITlsKeySource tls)
                    throw new IdentityException($"the key backend of '{key}' cannot provide a TLS key");
                var tlsKey = tls.OpenForTls(key);
                try
                {
                    return new DeviceIdentity(bundle, tlsKey, TlsClientIdentity.Create(bundle, tlsKey), backends);
                }
                catch
                {
                    tlsKey.Dispose();
                    throw;
                }
            }
            catch
            {
                bundle.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is KeyCustodyException or ChainBundleFormatException or ArgumentException)
        {
            backends.Dispose();
            throw new IdentityException(e.Message, e);
        }
        catch
        {
            backends.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Tls.Dispose();
        _tlsKey.Dispose();
        _bundle.Dispose();
        _backends.Dispose();
    }
}

/// <summary>The device identity (key, token, PIN, chain) cannot be used.</summary>
public sealed class IdentityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IdentityException() : base("the device identity cannot be used") { }

    /// <summary>Creates the exception.</summary>
    public IdentityException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public IdentityException(string message, Exception innerException) : base(message, innerException) { }
}
