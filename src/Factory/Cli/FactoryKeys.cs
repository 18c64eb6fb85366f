using DeviceAgent.Keys;

namespace Factory.Cli;

/// <summary>The key backends bringup uses: CA keys may be encrypted files; device keys must be in a token.</summary>
internal static class FactoryKeys
{
    /// <summary>For CA keys: PKCS#11 tokens and encrypted PKCS#8 files in the store.</summary>
    public static KeyBackends ForCas() => new(new KeyBackendOptions(AllowSoftwareKeys: true));

    /// <summary>For device keys: PKCS#11 tokens only (a key in a file can be copied off the device).</summary>
    public static KeyBackends ForDevices() => new(new KeyBackendOptions(AllowSoftwareKeys: false));

    /// <summary>
    /// For device keys with a TPM: PKCS#11 tokens and <c>tpm:</c> keys in the TPM the spec names,
    /// reached through our TPM stack. The caller disposes the TPM backend.
    /// </summary>
    public static (KeyBackends Backends, DeviceAgent.Tpm.Keys.TpmKeyBackend Tpm) ForDevices(DeviceAgent.Tpm.Transport.TpmSpec tpm)
    {
        var backends = ForDevices();
        var backend = new DeviceAgent.Tpm.Keys.TpmKeyBackend(tpm);
        backends.Register(backend);
        return (backends, backend);
    }
}
