namespace DeviceAgent.Keys;

/// <summary>The key types a device or CA key may have.</summary>
public enum KeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256 (secp256r1); the default for device keys.</summary>
    EcP256,
    /// <summary>ECDSA on NIST P-384 (secp384r1).</summary>
    EcP384,
    /// <summary>RSA, 2048-bit modulus.</summary>
    Rsa2048,
    /// <summary>RSA, 3072-bit modulus.</summary>
    Rsa3072,
}

/// <summary>Names of <see cref="KeyAlgorithm"/> as users write them (<c>ec-p256</c>, <c>rsa-3072</c>).</summary>
public static class KeyAlgorithms
{
    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ec-p256", "ec-p384", "rsa-2048", "rsa-3072"];

    /// <summary>The user-facing name, e.g. <c>ec-p256</c>.</summary>
    public static string Name(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcP256 => "ec-p256",
        KeyAlgorithm.EcP384 => "ec-p384",
        KeyAlgorithm.Rsa2048 => "rsa-2048",
        KeyAlgorithm.Rsa3072 => "rsa-3072",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Parses a user-facing name.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static KeyAlgorithm Parse(string name) => name?.ToLowerInvariant() switch
    {
        "ec-p256" or "p256" or "p-256" or "prime256v1" => KeyAlgorithm.EcP256,
        "ec-p384" or "p384" or "p-384" or "secp384r1" => KeyAlgorithm.EcP384,
        "rsa-2048" or "rsa2048" => KeyAlgorithm.Rsa2048,
        "rsa-3072" or "rsa3072" => KeyAlgorithm.Rsa3072,
        _ => throw new ArgumentException($"unknown key type '{name}'; use one of {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>True for the elliptic-curve types.</summary>
    public static bool IsEllipticCurve(this KeyAlgorithm algorithm) => algorithm is KeyAlgorithm.EcP256 or KeyAlgorithm.EcP384;

    /// <summary>The key size in bits (curve size for EC, modulus size for RSA).</summary>
    public static int KeySize(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcP256 => 256,
        KeyAlgorithm.EcP384 => 384,
        KeyAlgorithm.Rsa2048 => 2048,
        KeyAlgorithm.Rsa3072 => 3072,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
