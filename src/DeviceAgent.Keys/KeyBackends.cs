using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Keys.Software;

namespace DeviceAgent.Keys;

/// <summary>Policy for opening keys.</summary>
/// <param name="AllowSoftwareKeys">Accept <c>file:</c> keys. Development only: a key in a file can be copied.</param>
public sealed record KeyBackendOptions(bool AllowSoftwareKeys = false);

/// <summary>The registry of key backends, keyed by URI scheme.</summary>
public sealed class KeyBackends
{
    private readonly Dictionary<string, IKeyBackend> _backends = new(StringComparer.OrdinalIgnoreCase);
    private readonly KeyBackendOptions _options;

    /// <summary>A registry with the standard backends: <c>pkcs11</c> and <c>file</c>.</summary>
    public KeyBackends(KeyBackendOptions? options = null)
    {
        _options = options ?? new KeyBackendOptions();
        Register(new Pkcs11KeyBackend());
        Register(new FileKeyBackend());
    }

    /// <summary>Adds or replaces the backend of a scheme.</summary>
    public void Register(IKeyBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backends[backend.Scheme] = backend;
    }

    /// <summary>The backend that serves a reference.</summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.SoftwareKeyRefused"/> for a
    /// <c>file:</c> key without <see cref="KeyBackendOptions.AllowSoftwareKeys"/>;
    /// <see cref="KeyCustodyError.InvalidKeyReference"/> for an unknown scheme.</exception>
    public IKeyBackend For(KeyReference key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Scheme == "file" && !_options.AllowSoftwareKeys)
        {
            throw new KeyCustodyException(KeyCustodyError.SoftwareKeyRefused,
                $"'{key}' is a software key in a file, which can be copied off the device; use a key in the TPM or HSM " +
                "(a pkcs11: URI), or allow software keys explicitly for development");
        }
        return _backends.TryGetValue(key.Scheme, out var backend)
            ? backend
            : throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference, $"no key backend serves '{key.Scheme}:' references");
    }
}
