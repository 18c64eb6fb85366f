using System.Security.Cryptography;
using DeviceAgent.Keys.Pkcs11;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// <see cref="ITokenKeyBridge"/> over OpenSSL's PKCS#11 engine (libp11's <c>pkcs11</c> engine,
/// Debian package libengine-pkcs11-openssl), configured programmatically: no OpenSSL
/// configuration file, no environment variable. With an EC or RSA key the engine signs a digest
/// with one C_Sign (CKM_ECDSA, CKM_RSA_PKCS or CKM_RSA_PKCS_PSS); all hashing stays in software.
/// </summary>
/// <remarks>
/// One engine instance per module, created with <c>ENGINE_by_id("pkcs11")</c> (each call loads a
/// fresh dynamic instance, not one shared through OpenSSL's global engine list) and initialised
/// once. Its functional reference is held for the life of the process: libp11 calls
/// <c>C_Finalize</c> when the last reference goes, which would end the module's login state and
/// every session this process has with the token. This is why
/// <c>SafeEvpPKeyHandle.OpenPrivateKeyFromEngine</c> is not used: it looks the engine up by id in
/// the global list (one module per process) and releases its reference after loading the key.
/// Thread-safe. The PIN is handed to the engine (which keeps a copy to log in again after a token
/// reset) and never logged.
/// </remarks>
public sealed class OpenSslEngineKeyBridge : ITokenKeyBridge
{
    private const string EngineId = "pkcs11";
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<string, IntPtr> s_engines = new(StringComparer.Ordinal);

    /// <summary>The process-wide bridge.</summary>
    public static OpenSslEngineKeyBridge Shared { get; } = new();

    /// <inheritdoc />
    public AsymmetricAlgorithm OpenPrivateKey(string modulePath, Pkcs11Uri privateKey, Pin pin)
    {
        ArgumentException.ThrowIfNullOrEmpty(modulePath);
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(pin);
        var keyId = privateKey.WithType(Pkcs11ObjectType.Private).WithoutQuery().ToString();

        lock (s_gate)
        {
            var engine = EngineFor(Path.GetFullPath(modulePath));
            LibCrypto.ERR_clear_error();
            if (LibCrypto.ENGINE_ctrl_cmd_string(engine, "PIN", pin.Reveal(), 0) != 1)
                throw Failed($"the engine refused the PIN control ({LibCrypto.DrainErrors()})");

            var pkey = LibCrypto.ENGINE_load_private_key(engine, keyId, IntPtr.Zero, IntPtr.Zero);
            if (pkey == IntPtr.Zero)
            {
                throw Failed($"OpenSSL's PKCS#11 engine could not load {keyId} from '{modulePath}' ({LibCrypto.DrainErrors()}); " +
                    "check the token label, the key label and the PIN");
            }

            using var handle = new SafeEvpPKeyHandle(pkey, ownsHandle: true);
            return LibCrypto.EVP_PKEY_get_base_id(pkey) switch
            {
                LibCrypto.EVP_PKEY_EC => new ECDsaOpenSsl(handle),
                LibCrypto.EVP_PKEY_RSA => new RSAOpenSsl(handle),
                var other => throw new KeyCustodyException(KeyCustodyError.UnsupportedKey,
                    $"{keyId} is neither an EC nor an RSA key (OpenSSL key type {other})"),
            };
        }
    }

    private static IntPtr EngineFor(string modulePath)
    {
        if (s_engines.TryGetValue(modulePath, out var existing))
            return existing;

        // Make sure the runtime has initialised OpenSSL before we call into it.
        _ = SafeEvpPKeyHandle.OpenSslVersion;
        LibCrypto.ERR_clear_error();
        var engine = LibCrypto.ENGINE_by_id(EngineId);
        if (engine == IntPtr.Zero)
        {
            throw Failed($"OpenSSL's PKCS#11 engine is not available ({LibCrypto.DrainErrors()}); " +
                "install it: apt-get install libengine-pkcs11-openssl");
        }
        if (LibCrypto.ENGINE_ctrl_cmd_string(engine, "MODULE_PATH", modulePath, 0) != 1)
        {
            var reason = LibCrypto.DrainErrors();
            _ = LibCrypto.ENGINE_free(engine);
            throw Failed($"the engine refused module '{modulePath}' ({reason})");
        }
        if (LibCrypto.ENGINE_init(engine) != 1)
        {
            var reason = LibCrypto.DrainErrors();
            _ = LibCrypto.ENGINE_free(engine);
            throw Failed($"the engine could not initialise module '{modulePath}' ({reason})");
        }
        // ENGINE_init took a functional reference that is never released (see remarks); the
        // structural reference from ENGINE_by_id is no longer needed.
        _ = LibCrypto.ENGINE_free(engine);
        s_engines[modulePath] = engine;
        return engine;
    }

    private static KeyCustodyException Failed(string message) => new(KeyCustodyError.OpenSslBridgeFailed, message);
}
