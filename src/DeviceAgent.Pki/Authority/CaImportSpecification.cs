namespace DeviceAgent.Pki.Authority;

/// <summary>An existing CA to bring into the store (one made with OpenSSL or certGen.sh).</summary>
/// <param name="Name">Its name in the store.</param>
/// <param name="CertificatePath">Its certificate, PEM or DER.</param>
/// <param name="IssuerName">The CA of the store that issued it; null for a root, or when its issuer is not in the store.</param>
/// <param name="KeyFile">Its private key file (PKCS#8 encrypted or not, SEC1, PKCS#1, or OpenSSL's traditional encrypted PEM),
/// when <paramref name="KeyLocation"/> is <see cref="CaKeyKind.EncryptedFile"/>.</param>
/// <param name="KeyFilePassphrase">The passphrase of <paramref name="KeyFile"/> when it is encrypted.</param>
/// <param name="KeyLocation">Where the store keeps the key: re-encrypted in the store with its passphrase source, in a
/// PKCS#11 token where it already is, or nowhere (the certificate only).</param>
public sealed record CaImportSpecification(
    string Name, string CertificatePath, string? IssuerName, string? KeyFile, SecretSource? KeyFilePassphrase, CaKeyLocation KeyLocation);
