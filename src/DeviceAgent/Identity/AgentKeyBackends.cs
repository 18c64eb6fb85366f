using DeviceAgent.Keys;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Identity;

/// <summary>
/// The key backends the agent opens its device key with: PKCS#11 tokens, <c>file:</c> keys when
/// allowed, and <c>tpm:</c> keys in the TPM <c>identity.tpm</c> names, reached through our own TPM
/// stack (no tpm2-pkcs11, no resource-manager daemon). Owns the TPM connection: dispose it after
/// every key it opened. Shared by reference count (<see cref="AddReference"/>): a renewal's new
/// identity uses the old one's connection (swtpm serves one client at a time), and the connection
/// closes when the last holder disposes.
/// </summary>
public sealed class AgentKeyBackends : IDisposable
{
    private int _references = 1;

    private AgentKeyBackends(KeyBackends backends, TpmKeyBackend tpm)
    {
        Backends = backends;
        Tpm = tpm;
    }

    /// <summary>The registry, keyed by scheme.</summary>
    public KeyBackends Backends { get; }

    /// <summary>The <c>tpm:</c> backend (its connection opens on first use).</summary>
    public TpmKeyBackend Tpm { get; }

    /// <summary>The backends for a device: <paramref name="tpm"/> serves <c>tpm:</c> keys.</summary>
    public static AgentKeyBackends Create(bool allowSoftwareKeys, TpmSpec tpm)
    {
        var backends = new KeyBackends(new KeyBackendOptions(allowSoftwareKeys));
        var backend = new TpmKeyBackend(tpm);
        backends.Register(backend);
        return new AgentKeyBackends(backends, backend);
    }

    /// <summary>The backend that serves <paramref name="key"/>.</summary>
    /// <exception cref="KeyCustodyException">No backend serves it, or a software key is not allowed.</exception>
    public IKeyBackend For(KeyReference key) => Backends.For(key);

    /// <summary>Another holder of these backends; each holder disposes once.</summary>
    public AgentKeyBackends AddReference()
    {
        Interlocked.Increment(ref _references);
        return this;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Decrement(ref _references) == 0)
            Tpm.Dispose();
    }
}
