using DeviceAgent.Keys;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Configuration;

/// <summary>
/// The device identity: its key (in the TPM through our stack, or in a TPM/HSM through a PKCS#11
/// module), the key's PIN source (for a TPM key: its optional auth value),
/// and its certificate chain bundle. The <c>identity</c> section of agent.json.
/// </summary>
public sealed class IdentitySettings
{
    /// <summary><c>identity.module</c>: the PKCS#11 module, e.g. /usr/lib/aarch64-linux-gnu/pkcs11/libtpm2_pkcs11.so.</summary>
    public string? Module { get; set; }

    /// <summary>
    /// <c>identity.key</c>: the key's PKCS#11 URI (RFC 7512), a key in the TPM through our own stack
    /// (<c>tpm:handle=0x81000101</c>, the TPM named by <see cref="Tpm"/>), or a file: URI for development.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// <c>identity.tpm</c>: the TPM a <c>tpm:</c> key lives in, <c>device:/dev/tpmrm0</c> (the default: the
    /// kernel resource manager) or <c>swtpm:host=127.0.0.1,port=2321</c> (the simulator).
    /// </summary>
    public string? Tpm { get; set; }

    /// <summary><c>identity.pinFile</c>: the file holding the token's user PIN (a systemd credential path works).</summary>
    public string? PinFile { get; set; }

    /// <summary><c>identity.pinEnvironmentVariable</c>: alternatively, the environment variable holding the PIN.</summary>
    public string? PinEnvironmentVariable { get; set; }

    /// <summary><c>identity.chain</c>: the PEM chain bundle, leaf first, then intermediates.</summary>
    public string? Chain { get; set; }

    /// <summary><c>identity.allowSoftwareKey</c>: accept a file: key (development only).</summary>
    public bool AllowSoftwareKey { get; set; }

    /// <summary>
    /// The PIN source, or null when none is configured. <c>credential:NAME</c> names a systemd
    /// credential (<c>LoadCredential=NAME:...</c>): the file <c>$CREDENTIALS_DIRECTORY/NAME</c>.
    /// </summary>
    public PinSource? PinSource =>
        PinFile is not null ? PinSource.FromFile(ResolveCredential(PinFile))
        : PinEnvironmentVariable is not null ? PinSource.FromEnvironment(PinEnvironmentVariable)
        : null;

    private static string ResolveCredential(string pinFile)
    {
        if (!pinFile.StartsWith("credential:", StringComparison.Ordinal))
            return pinFile;
        var directory = Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY");
        return directory is null
            ? throw new ConfigurationException($"identity.pinFile '{pinFile}' names a systemd credential, but CREDENTIALS_DIRECTORY is not set: run under systemd with LoadCredential=, or give a file path")
            : Path.Combine(directory, pinFile["credential:".Length..]);
    }

    /// <summary>Checks the section; names the first wrong key.</summary>
    /// <exception cref="ConfigurationException">A required key is missing or two keys conflict.</exception>
    public void Validate(string origin)
    {
        if (string.IsNullOrWhiteSpace(Key))
            throw Missing(origin, "identity.key", "the PKCS#11 URI of the device key, e.g. pkcs11:token=device;object=device-key");
        if (string.IsNullOrWhiteSpace(Chain))
            throw Missing(origin, "identity.chain", "the PEM chain bundle (leaf first, then intermediates), e.g. /var/lib/deviceagent/chain.pem");
        if (Key.StartsWith("pkcs11:", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(Module) && !Key.Contains("module-path=", StringComparison.Ordinal))
                throw Missing(origin, "identity.module", "the PKCS#11 module, e.g. /usr/lib/aarch64-linux-gnu/pkcs11/libtpm2_pkcs11.so");
            if (PinFile is null && PinEnvironmentVariable is null && !Key.Contains("pin-source=", StringComparison.Ordinal))
                throw Missing(origin, "identity.pinFile", "a file readable only by the agent holding the token's user PIN");
        }
        if (Tpm is not null)
        {
            if (!Key.StartsWith("tpm:", StringComparison.OrdinalIgnoreCase))
                throw new ConfigurationException($"{origin}: identity.tpm is set, but identity.key '{Key}' is not a key in the TPM; use tpm:handle=0x81000101 or remove identity.tpm");
            _ = TpmSpecification(origin);
        }
        if (PinFile is not null && PinEnvironmentVariable is not null)
            throw new ConfigurationException($"{origin}: identity.pinFile and identity.pinEnvironmentVariable are both set; keep one");
    }

    /// <summary>
    /// Checks the section for <c>provisioning.attestation: "tpm"</c>: only identity.tpm matters (the
    /// TPM whose EK the enrollment holds); a key or chain set as well is refused as a likely mistake.
    /// </summary>
    /// <exception cref="ConfigurationException">identity.tpm is not a TPM spec, or X.509 keys are set.</exception>
    public void ValidateForTpmAttestation(string origin)
    {
        if (!string.IsNullOrWhiteSpace(Chain) || (!string.IsNullOrWhiteSpace(Key) && !IsTpmKey))
            throw new ConfigurationException($"{origin}: provisioning.attestation is \"tpm\", which uses no certificate: remove identity.chain and identity.key, or use attestation \"x509\"");
        _ = TpmSpecification(origin);
    }

    /// <summary>True when identity.key names a key in the TPM (<c>tpm:</c>).</summary>
    public bool IsTpmKey => Key?.StartsWith("tpm:", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The TPM identity.tpm names (<see cref="TpmSpec.Default"/> when unset).</summary>
    /// <exception cref="ConfigurationException">identity.tpm is not a TPM spec.</exception>
    public TpmSpec TpmSpecification(string origin = "the configuration")
    {
        try
        {
            return TpmSpec.Parse(Tpm);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"{origin}: identity.tpm: {e.Message}; e.g. device:/dev/tpmrm0 or swtpm:host=127.0.0.1,port=2321", e);
        }
    }

    /// <summary>These settings with another key and chain (a renewed credential); module, TPM and PIN stay.</summary>
    public IdentitySettings WithCredential(string key, string chain) => new()
    {
        Module = Module,
        Key = key,
        Tpm = Tpm,
        PinFile = PinFile,
        PinEnvironmentVariable = PinEnvironmentVariable,
        Chain = chain,
        AllowSoftwareKey = AllowSoftwareKey,
    };

    /// <summary>The key reference these settings describe.</summary>
    /// <exception cref="KeyCustodyException">identity.key is not a valid reference.</exception>
    public KeyReference ToKeyReference() => KeyReference.Parse(Key!, Module, PinSource);

    private static ConfigurationException Missing(string origin, string key, string what) =>
        new($"{origin}: {key} is not set; set it to {what}");
}
