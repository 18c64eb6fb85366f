using System.Security.Cryptography;

namespace DeviceAgent.Pki.Authority;

/// <summary>A prepared key, opened for signing. Dispose to close it (and its token session).</summary>
/// <param name="Prepared">What was found or made.</param>
/// <param name="PrivateKey">The key, signing wherever it lives.</param>
public sealed record OpenedKey(PreparedKey Prepared, AsymmetricAlgorithm PrivateKey) : IDisposable
{
    /// <summary>Closes the key.</summary>
    public void Dispose() => PrivateKey.Dispose();
}
