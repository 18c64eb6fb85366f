using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// Makes sure the key a reference names exists and opens it: generated where it lives (inside the
/// token for a <c>pkcs11:</c> reference: CKA_SENSITIVE, not CKA_EXTRACTABLE) unless it is already
/// there, in which case it is reused, so that a command rerun after a failure part-way is safe.
/// For a token key everything happens under one login: finding, generating, reading the public
/// key and the custody attributes, and opening the key to sign (tpm2-pkcs11's C_Login is costly).
/// </summary>
public static class KeyPreparation
{
    /// <summary>Reuses or generates the key, and opens it for signing.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="KeyCustodyException">The module, token, PIN or key generation failed, or the label names several keys.</exception>
    public static OpenedKey EnsureAndOpen(KeyBackends keys, KeyReference reference, KeyAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(reference);
        var backend = keys.For(reference);
        return backend is Pkcs11KeyBackend
            ? Pkcs11KeyBackend.WithSession(reference, readWrite: true, (session, uri) => InToken(backend, reference, algorithm, session, uri))
            : Elsewhere(backend, reference, algorithm);
    }

    private static OpenedKey InToken(IKeyBackend backend, KeyReference reference, KeyAlgorithm algorithm, Pkcs11Session session, Pkcs11Uri uri)
    {
        var found = session.FindObjects(uri);
        Pkcs11ObjectHandle handle;
        if (found.Count > 1)
        {
            handle = session.FindSingle(uri); // throws KeyAmbiguous with the token's name
        }
        else if (found.Count == 1)
        {
            handle = found[0];
        }
        else
        {
            var label = uri.ObjectLabel ?? throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference,
                $"'{reference}' names no label (object=); a new key needs one");
            handle = session.GenerateKeyPair(algorithm, label, uri.Id is { } id ? id.Span : default).PrivateKey;
        }
        var publicKey = session.ReadPublicKey(handle);
        var custody = session.ReadCustodyAttributes(handle);
        // This session keeps the token logged in, so the signing key's own session needs no new login.
        var privateKey = backend.OpenPrivateKey(reference);
        return new OpenedKey(new PreparedKey(Describe(publicKey), found.Count == 1, custody), privateKey);
    }

    private static OpenedKey Elsewhere(IKeyBackend backend, KeyReference reference, KeyAlgorithm algorithm)
    {
        DevicePublicKey publicKey;
        bool existed;
        try
        {
            publicKey = backend.GetPublicKey(reference);
            existed = true;
        }
        catch (KeyCustodyException e) when (e.Error == KeyCustodyError.KeyNotFound)
        {
            var generator = backend as IKeyGenerator ?? throw new KeyCustodyException(KeyCustodyError.UnsupportedKey,
                $"'{reference}' does not exist and its backend cannot create keys", e);
            publicKey = generator.CreateKey(reference, algorithm);
            existed = false;
        }
        return new OpenedKey(new PreparedKey(Describe(publicKey), existed, null), backend.OpenPrivateKey(reference));
    }

    private static string Describe(DevicePublicKey key) => KeyStrengthPolicy.Judge(key.ToPublicKey()).Description;
}
