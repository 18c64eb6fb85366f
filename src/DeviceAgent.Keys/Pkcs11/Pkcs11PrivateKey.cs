using System.Security.Cryptography;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// The token side of <see cref="Pkcs11ECDsa"/> and <see cref="Pkcs11Rsa"/>: an open, logged-in
/// session (which keeps the token's login state alive) and the private key object in it.
/// Thread-safe: signatures are serialised, as PKCS#11 allows one operation per session.
/// </summary>
internal sealed class Pkcs11PrivateKey : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Pkcs11Session _session;
    private readonly Pkcs11ObjectHandle _handle;

    public Pkcs11PrivateKey(Pkcs11Session session, Pkcs11ObjectHandle handle, DevicePublicKey publicKey, string description)
    {
        _session = session;
        _handle = handle;
        PublicKey = publicKey;
        Description = description;
    }

    public DevicePublicKey PublicKey { get; }

    /// <summary>The key's URI, for messages.</summary>
    public string Description { get; }

    public byte[] SignHash(ReadOnlySpan<byte> hash, RSASignaturePadding? padding)
    {
        lock (_gate)
            return _session.SignHash(_handle, PublicKey.Algorithm, hash, padding);
    }

    public byte[] PrivateOperation(ReadOnlySpan<byte> block)
    {
        lock (_gate)
            return _session.SignRaw(_handle, PublicKey.Algorithm, block);
    }

    public CryptographicException NotExportable() =>
        new($"the private key {Description} lives in a PKCS#11 token and cannot be exported");

    public void Dispose()
    {
        lock (_gate)
            _session.Dispose();
    }
}
