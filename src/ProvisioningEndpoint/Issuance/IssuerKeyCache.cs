using System.Security.Cryptography;
using DeviceAgent.Keys;
using DeviceAgent.Keys.Software;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// The <c>file:</c> key backend of the endpoint's issuers with the decrypted keys kept for a bounded time:
/// an issuer key is encrypted with PBKDF2 (600,000 iterations), so decrypting it for every issuance costs a
/// large share of a core per leaf and limits a fleet's renewal rate. The first open decrypts (through
/// <see cref="FileKeyBackend"/>, with the key's passphrase source) and keeps the plaintext PKCS#8 in a pinned
/// buffer for <see cref="Lifetime"/>; later opens import a fresh key object from it (the caller disposes that,
/// as always). A key file that changed (rewritten, re-encrypted) is decrypted again. Expired entries and
/// everything on <see cref="Dispose"/> (the endpoint's shutdown: the DI container owns it) are zeroed.
/// PKCS#11 issuer keys never pass through here (the token keeps them). Thread-safe.
/// </summary>
public sealed class IssuerKeyCache(TimeProvider clock, TimeSpan lifetime) : IKeyBackend, IDisposable
{
    private readonly FileKeyBackend _files = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>The endpoint's lifetime of a decrypted key: a renewal storm decrypts each issuer about once every 10 minutes.</summary>
    public static TimeSpan DefaultLifetime { get; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a decrypted key is kept after it was decrypted.</summary>
    public TimeSpan Lifetime { get; } = lifetime > TimeSpan.Zero ? lifetime : throw new ArgumentOutOfRangeException(nameof(lifetime), "the lifetime must be positive");

    /// <inheritdoc />
    public string Scheme => _files.Scheme;

    /// <inheritdoc />
    public DevicePublicKey GetPublicKey(KeyReference key)
    {
        using var opened = OpenPrivateKey(key);
        return DevicePublicKey.FromAlgorithm(opened);
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The endpoint is shutting down.</exception>
    public AsymmetricAlgorithm OpenPrivateKey(KeyReference key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var path = Path.GetFullPath(key.FilePath!);
        var version = Version(path);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = clock.GetUtcNow();
            if (_entries.TryGetValue(path, out var cached))
            {
                if (cached.Version == version && now < cached.Expires)
                    return cached.Open();
                _entries.Remove(path);
                cached.Dispose();
            }
            foreach (var expired in _entries.Where(e => now >= e.Value.Expires).ToList())
            {
                _entries.Remove(expired.Key);
                expired.Value.Dispose();
            }
            // Decrypted under the lock: concurrent issuances of one issuer wait for one decryption, not one each.
            using var decrypted = _files.OpenPrivateKey(key);
            var entry = Entry.From(decrypted, version, now + Lifetime);
            _entries[path] = entry;
            return entry.Open();
        }
    }

    /// <summary>Zeroes and forgets every decrypted key; later opens throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (var entry in _entries.Values)
                entry.Dispose();
            _entries.Clear();
        }
    }

    // What identifies one content of the key file: a rewrite changes the write time or the length.
    private static (DateTime Written, long Length) Version(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1);
    }

    private sealed class Entry : IDisposable
    {
        private readonly byte[] _pkcs8;
        private readonly bool _isEc;

        private Entry(byte[] pkcs8, bool isEc, (DateTime, long) version, DateTimeOffset expires)
        {
            _pkcs8 = pkcs8;
            _isEc = isEc;
            Version = version;
            Expires = expires;
        }

        public (DateTime, long) Version { get; }

        public DateTimeOffset Expires { get; }

        public static Entry From(AsymmetricAlgorithm key, (DateTime, long) version, DateTimeOffset expires)
        {
            var exported = key.ExportPkcs8PrivateKey();
            try
            {
                var pinned = GC.AllocateUninitializedArray<byte>(exported.Length, pinned: true);
                exported.CopyTo(pinned, 0);
                return new Entry(pinned, key is ECDsa, version, expires);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(exported);
            }
        }

        public AsymmetricAlgorithm Open()
        {
            AsymmetricAlgorithm key = _isEc ? ECDsa.Create() : RSA.Create();
            try
            {
                key.ImportPkcs8PrivateKey(_pkcs8, out _);
                return key;
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }

        public void Dispose() => CryptographicOperations.ZeroMemory(_pkcs8);
    }
}
