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
/// One engine per process, bound to one module. OpenSSL 3.0 refuses a second instance of a
/// dynamic engine loaded from the same library, and libp11 binds an engine to one module, so a
/// process can hand OpenSSL keys from one PKCS#11 module only; a request for another module is
/// refused with a clear error. (Signing certificates, CSRs and proofs of possession does not need
/// OpenSSL: <see cref="Pkcs11.Pkcs11ECDsa"/> and <see cref="Pkcs11.Pkcs11Rsa"/> serve any number of
/// modules.) The engine is loaded through OpenSSL's <c>dynamic</c> engine with <c>LIST_ADD=0</c>,
/// out of the global engine list, so nothing else in the process reconfigures it; its functional
/// reference is held for the life of the process, because libp11 calls <c>C_Finalize</c> when the
/// last one goes, which would end the module's login state and every session this process has
/// with the token. This is also why <c>SafeEvpPKeyHandle.OpenPrivateKeyFromEngine</c> is not used:
/// it looks the engine up in the global list and releases its reference after loading the key.
/// Thread-safe. The PIN is handed to the engine (which keeps a copy to log in again after a token
/// reset) and never logged.
/// </remarks>
public sealed class OpenSslEngineKeyBridge : ITokenKeyBridge
{
    private const string EngineId = "pkcs11";
    private static readonly Lock s_gate = new();
    private static IntPtr s_engine;
    private static string? s_engineModule;

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
        if (s_engineModule is not null)
        {
            return string.Equals(s_engineModule, modulePath, StringComparison.Ordinal)
                ? s_engine
                : throw Failed($"this process already bound OpenSSL's PKCS#11 engine to module '{s_engineModule}'; " +
                    $"OpenSSL 3.0 allows one engine instance per process, so TLS keys from '{modulePath}' need their own process");
        }

        // Make sure the runtime has initialised OpenSSL before we call into it.
        _ = SafeEvpPKeyHandle.OpenSslVersion;
        LibCrypto.ERR_clear_error();
        var engine = LoadUnlistedEngine();
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
        s_engine = engine;
        s_engineModule = modulePath;
        return engine;
    }

    // What ENGINE_by_id does for an unlisted id, except LIST_ADD=0 (OpenSSL crypto/engine/eng_list.c).
    private static IntPtr LoadUnlistedEngine()
    {
        var directory = Environment.GetEnvironmentVariable("OPENSSL_ENGINES") ?? EnginesDirectory();
        var engine = LibCrypto.ENGINE_by_id("dynamic");
        if (engine == IntPtr.Zero)
            throw Failed($"OpenSSL's dynamic engine loader is unavailable ({LibCrypto.DrainErrors()})");
        if (LibCrypto.ENGINE_ctrl_cmd_string(engine, "ID", EngineId, 0) != 1 ||
            LibCrypto.ENGINE_ctrl_cmd_string(engine, "DIR_LOAD", "2", 0) != 1 ||
            LibCrypto.ENGINE_ctrl_cmd_string(engine, "DIR_ADD", directory, 0) != 1 ||
            LibCrypto.ENGINE_ctrl_cmd_string(engine, "LIST_ADD", "0", 0) != 1 ||
            LibCrypto.ENGINE_ctrl_cmd_string(engine, "LOAD", null, 0) != 1)
        {
            var reason = LibCrypto.DrainErrors();
            _ = LibCrypto.ENGINE_free(engine);
            throw Failed($"OpenSSL's PKCS#11 engine is not available in '{directory}' ({reason}); " +
                "install it: apt-get install libengine-pkcs11-openssl");
        }
        return engine;
    }

    // OpenSSL_version(OPENSSL_ENGINES_DIR) answers 'ENGINESDIR: "/usr/lib/x86_64-linux-gnu/engines-3"'.
    private static string EnginesDirectory()
    {
        var text = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibCrypto.OpenSSL_version(LibCrypto.OPENSSL_ENGINES_DIR)) ?? "";
        var first = text.IndexOf('"', StringComparison.Ordinal);
        var last = text.LastIndexOf('"');
        return first >= 0 && last > first ? text[(first + 1)..last] : text;
    }

    private static KeyCustodyException Failed(string message) => new(KeyCustodyError.OpenSslBridgeFailed, message);
}
