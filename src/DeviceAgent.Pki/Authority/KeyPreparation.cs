using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Authority;

/// <summary>A key made ready to certify: its public half, whether it was there before, and its custody evidence.</summary>
/// <param name="Description">The key's type, e.g. "EC P-256".</param>
/// <param name="Existed">True when the key was already there and was reused (a rerun, or a key made by a key ceremony).</param>
/// <param name="Custody">The token's custody attributes; null for a file key.</param>
public sealed record PreparedKey(string Description, bool Existed, KeyCustodyAttributes? Custody);

/// <summary>
/// Makes sure the key a reference names exists: generated where it lives (inside the token for a
/// <c>pkcs11:</c> reference: CKA_SENSITIVE, not CKA_EXTRACTABLE) unless it is already there, in
/// which case it is reused, so that a command rerun after a failure part-way is safe.
/// </summary>
public static class KeyPreparation
{
    /// <summary>Reuses or generates the key.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="KeyCustodyException">The module, token, PIN or key generation failed.</exception>
    public static PreparedKey Ensure(KeyBackends keys, KeyReference reference, KeyAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(reference);
        var backend = keys.For(reference);
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
        var custody = backend is IKeyCustodyInspector inspector && reference.Scheme == "pkcs11" ? inspector.ReadCustody(reference) : null;
        return new PreparedKey(KeyStrengthPolicy.Judge(publicKey.ToPublicKey()).Description, existed, custody);
    }
}
