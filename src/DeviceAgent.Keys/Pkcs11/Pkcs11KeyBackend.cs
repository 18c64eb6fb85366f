using System.Security.Cryptography;
using DeviceAgent.Keys.OpenSsl;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// Keys inside a PKCS#11 token (a TPM through tpm2-pkcs11, an HSM, a secure element). Any number
/// of modules serve one process: TLS keys reach OpenSSL through <see cref="OpenSslKeyMethodBridge"/>,
/// not an engine.
/// </summary>
/// <param name="signTimeout">The bound on one TLS private-key operation (default <see cref="OpenSslKeyMethodBridge.DefaultSignTimeout"/>).</param>
public sealed class Pkcs11KeyBackend(TimeSpan? signTimeout = null) : IKeyBackend, IKeyGenerator, IKeyCustodyInspector, ITlsKeySource, IKeyDestroyer
{
    /// <inheritdoc />
    public string Scheme => "pkcs11";

    /// <inheritdoc />
    public DevicePublicKey GetPublicKey(KeyReference key) =>
        WithSession(key, readWrite: false, (session, uri) => session.ReadPublicKey(session.FindSingle(uri)));

    /// <inheritdoc />
    public AsymmetricAlgorithm OpenPrivateKey(KeyReference key) => Open(key, out _);

    /// <summary>
    /// The key as an OpenSSL key whose CertificateVerify signature is one C_Sign in the token, on a
    /// session kept open (and logged in) for the key's lifetime.
    /// </summary>
    /// <exception cref="KeyCustodyException">Module, token, PIN or key problems, each specific; or OpenSSL refused.</exception>
    public AsymmetricAlgorithm OpenForTls(KeyReference key)
    {
        var privateKey = Open(key, out var publicKey);
        try
        {
            return OpenSslKeyMethodBridge.Open(privateKey, publicKey, key.ToString(), signTimeout);
        }
        catch
        {
            privateKey.Dispose();
            throw;
        }
    }

    private static AsymmetricAlgorithm Open(KeyReference key, out DevicePublicKey publicKey)
    {
        var session = OpenSession(key, readWrite: false, out var uri);
        try
        {
            var handle = session.FindSingle(uri);
            var privateKey = new Pkcs11PrivateKey(session, handle, session.ReadPublicKey(handle), uri.ToString());
            publicKey = privateKey.PublicKey;
            return privateKey.PublicKey.Algorithm.IsEllipticCurve() ? new Pkcs11ECDsa(privateKey) : new Pkcs11Rsa(privateKey);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public DevicePublicKey CreateKey(KeyReference key, KeyAlgorithm algorithm) =>
        WithSession(key, readWrite: true, (session, uri) =>
        {
            var label = uri.ObjectLabel ?? throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference,
                $"'{key}' names no label (object=); a new key needs one");
            var pair = session.GenerateKeyPair(algorithm, label, uri.Id is { } id ? id.Span : default);
            return session.ReadPublicKey(pair.PrivateKey);
        });

    /// <inheritdoc />
    /// <remarks>Every object the reference's label and id match, whatever its type (the private and the public key; C_DestroyObject, PKCS#11 3.0 5.7).</remarks>
    public bool DestroyKey(KeyReference key) =>
        WithSession(key, readWrite: true, (session, uri) =>
        {
            if (uri.ObjectLabel is null && uri.Id is null)
                throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference, $"'{key}' names neither a label (object=) nor an id: refusing to destroy every object of the token");
            var found = session.FindObjects(uri.WithoutType());
            foreach (var handle in found)
                session.DestroyObject(handle);
            return found.Count > 0;
        });

    /// <inheritdoc />
    public KeyCustodyAttributes ReadCustody(KeyReference key) =>
        WithSession(key, readWrite: false, (session, uri) => session.ReadCustodyAttributes(session.FindSingle(uri)));

    /// <summary>
    /// Opens the reference's token, logs in, and runs <paramref name="action"/> with a session.
    /// </summary>
    /// <exception cref="KeyCustodyException">Module, token, PIN or key problems, each specific.</exception>
    public static T WithSession<T>(KeyReference key, bool readWrite, Func<Pkcs11Session, Pkcs11Uri, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var session = OpenSession(key, readWrite, out var uri);
        return action(session, uri);
    }

    private static Pkcs11Session OpenSession(KeyReference key, bool readWrite, out Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(key);
        uri = key.Pkcs11 ?? throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference, $"'{key}' is not a pkcs11: reference");
        var module = Pkcs11Module.Load(ModulePathOf(key));
        var slot = module.FindSlot(uri);
        var session = slot.OpenSession(readWrite);
        try
        {
            if (slot.GetTokenInfo().LoginRequired)
            {
                using var pin = ReadPin(key);
                session.Login(pin);
            }
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static string ModulePathOf(KeyReference key) =>
        key.ModulePath ?? throw new KeyCustodyException(KeyCustodyError.ModuleNotFound,
            $"no PKCS#11 module is configured for '{key}'; set the module path (e.g. /usr/lib/aarch64-linux-gnu/pkcs11/libtpm2_pkcs11.so)");

    private static Pin ReadPin(KeyReference key) =>
        (key.Pin ?? throw new KeyCustodyException(KeyCustodyError.PinUnavailable,
            $"no PIN source is configured for '{key}'; configure a PIN file (never the PIN itself)")).Read();
}
