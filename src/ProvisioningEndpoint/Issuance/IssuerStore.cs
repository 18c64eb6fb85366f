using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// The endpoint's issuing CAs: a CA store (<see cref="CaStore"/>, the format <c>bringup</c> keeps)
/// in the data directory's <c>issuers/</c>, each key encrypted there (PKCS#8, PBES2) or in a
/// PKCS#11 token. Certificate-only entries complete an issuer's chain up to its root.
/// Opening an issuer takes its lock (<see cref="CaLock"/>), so issuing is serialised per issuer
/// across threads and processes.
/// </summary>
/// <param name="dataDirectory">The endpoint's data directory.</param>
/// <param name="keyCache">The endpoint's cache of decrypted issuer keys (<see cref="IssuerKeyCache"/>); null (the CLIs) to decrypt at every open.</param>
public sealed class IssuerStore(string dataDirectory, IssuerKeyCache? keyCache = null)
{
    private readonly KeyBackends _keys = WithCache(keyCache);

    /// <summary>The directory under the data directory.</summary>
    public const string DirectoryName = "issuers";

    /// <summary>The store's directory.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), DirectoryName);

    /// <summary>The CA store.</summary>
    public CaStore Store => new(Path);

    /// <summary>The key backends issuers use: PKCS#11 tokens, and key files encrypted in the data directory.</summary>
    public static KeyBackends Keys { get; } = new(new KeyBackendOptions(AllowSoftwareKeys: true));

    private static KeyBackends WithCache(IssuerKeyCache? keyCache)
    {
        if (keyCache is null)
            return Keys;
        var keys = new KeyBackends(new KeyBackendOptions(AllowSoftwareKeys: true));
        keys.Register(keyCache);
        return keys;
    }

    /// <summary>True when an issuer of this name exists.</summary>
    public bool Contains(string name) => Directory.Exists(Path) && Store.Contains(name);

    /// <summary>Opens an issuer to sign; the caller disposes it.</summary>
    /// <exception cref="IssuanceException"><see cref="IssuanceErrorCodes.IssuerUnavailable"/>: missing, expired, without a key, or its key cannot be opened.</exception>
    public CertificateAuthority Open(string name, TimeProvider clock)
    {
        if (!Contains(name))
        {
            throw new IssuanceException(IssuanceErrorCodes.IssuerUnavailable,
                $"the enrollment's issuer '{name}' is not one of this endpoint's issuers; import it with 'provisioning-endpoint issuer import'");
        }
        try
        {
            return CertificateAuthority.Open(Store, name, _keys, clock);
        }
        catch (Exception e) when (e is CertificateAuthorityException or KeyCustodyException or IOException)
        {
            throw new IssuanceException(IssuanceErrorCodes.IssuerUnavailable, $"issuer '{name}' cannot sign: {e.Message}", e);
        }
    }
}
