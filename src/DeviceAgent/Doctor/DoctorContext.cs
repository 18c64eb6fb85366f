using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;

namespace DeviceAgent.Doctor;

/// <summary>
/// What the checks of one run have learned so far (the loaded module, the token's slot, the key's
/// public half, the chain), so that each check builds on the ones before it. Not thread-safe:
/// checks run one after another.
/// </summary>
public sealed class DoctorContext(DoctorSettings settings, Identity.AgentKeyBackends backends) : IDisposable
{
    private readonly Dictionary<string, DoctorCheckStatus> _outcomes = new(StringComparer.Ordinal);

    /// <summary>What to check.</summary>
    public DoctorSettings Settings { get; } = settings;

    /// <summary>The key backends (with the software-key policy applied).</summary>
    public KeyBackends Backends { get; } = backends.Backends;

    /// <summary>The <c>tpm:</c> backend: the TPM identity.tpm names, through our own stack.</summary>
    public Tpm.Keys.TpmKeyBackend Tpm { get; } = backends.Tpm;

    /// <summary>True for a key in a PKCS#11 token.</summary>
    public bool IsTokenKey => Settings.Key.Scheme == "pkcs11";

    /// <summary>True for a key in the TPM through our own stack (<c>tpm:</c>).</summary>
    public bool IsTpmKey => Settings.Key.Scheme == "tpm";

    /// <summary>Why the PKCS#11 checks do not apply to a key that is not in a token.</summary>
    public string NoTokenReason => IsTpmKey
        ? "the key is in the TPM through our own stack: no PKCS#11 module or token"
        : "the key is a software key in a file: no token";

    /// <summary>The module, once loaded.</summary>
    public Pkcs11Module? Module { get; set; }

    /// <summary>The token's slot, once found.</summary>
    public Pkcs11Slot? Slot { get; set; }

    /// <summary>The device key's public half, once read.</summary>
    public DevicePublicKey? PublicKey { get; set; }

    /// <summary>The chain bundle, once loaded and valid.</summary>
    public ChainBundle? Bundle { get; set; }

    /// <summary>
    /// The TLS identity (full chain, key through the OpenSSL key-method bridge), created on first use and
    /// shared by the checks that connect. Needs <see cref="Bundle"/>.
    /// </summary>
    /// <exception cref="KeyCustodyException">The key cannot be opened for TLS.</exception>
    public TlsClientIdentity TlsIdentity(bool sendIntermediates = true)
    {
        if (_tlsIdentity is { } cached && cached.Intermediates.Count == (sendIntermediates ? Bundle!.Intermediates.Count : 0))
            return cached;
        if (Backends.For(Settings.Key) is not ITlsKeySource source)
            throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, $"the key backend of '{Settings.Key}' cannot provide a TLS key");
        _tlsKey ??= source.OpenForTls(Settings.Key);
        _tlsIdentity?.Dispose();
        _tlsIdentity = TlsClientIdentity.Create(Bundle!, _tlsKey, sendIntermediates);
        return _tlsIdentity;
    }

    private System.Security.Cryptography.AsymmetricAlgorithm? _tlsKey;
    private TlsClientIdentity? _tlsIdentity;

    /// <summary>The outcome of an earlier check, or null if it has not run.</summary>
    public DoctorCheckStatus? OutcomeOf(string id) => _outcomes.TryGetValue(id, out var s) ? s : null;

    internal void Record(DoctorCheckResult result) => _outcomes[result.Id] = result.Status;

    /// <inheritdoc />
    public void Dispose()
    {
        _tlsIdentity?.Dispose();
        _tlsKey?.Dispose();
        Bundle?.Dispose();
    }
}
