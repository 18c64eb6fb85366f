using System.Text.Json.Serialization;
using DeviceAgent.Keys;

namespace DeviceAgent.Pki.Authority;

/// <summary>Where a CA's private key lives.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaKeyKind>))]
public enum CaKeyKind
{
    /// <summary>Not in the store: an imported certificate whose key is kept elsewhere (an offline root). It cannot sign.</summary>
    [JsonStringEnumMemberName("none")]
    None,
    /// <summary>An encrypted PKCS#8 file in the CA's directory (RFC 5958 EncryptedPrivateKeyInfo, PBES2).</summary>
    [JsonStringEnumMemberName("encrypted-file")]
    EncryptedFile,
    /// <summary>A PKCS#11 token: an HSM, a TPM through tpm2-pkcs11.</summary>
    [JsonStringEnumMemberName("pkcs11")]
    Pkcs11,
}

/// <summary>
/// The key reference a CA directory records: a PKCS#11 URI (RFC 7512) with its module and PIN
/// source, or the encrypted key file with its passphrase source. Never the secret itself.
/// </summary>
/// <param name="Kind">Where the key lives.</param>
/// <param name="Uri">The PKCS#11 URI of the private key, for <see cref="CaKeyKind.Pkcs11"/>.</param>
/// <param name="Module">The PKCS#11 module, for <see cref="CaKeyKind.Pkcs11"/>.</param>
/// <param name="File">The key file's name in the CA directory, for <see cref="CaKeyKind.EncryptedFile"/>.</param>
/// <param name="Secret">Where the PIN or passphrase comes from.</param>
public sealed record CaKeyLocation(CaKeyKind Kind, string? Uri, string? Module, string? File, SecretSource? Secret)
{
    /// <summary>The name of the key file in a CA directory.</summary>
    public const string KeyFileName = "key.pem";

    /// <summary>No key in the store.</summary>
    public static CaKeyLocation None { get; } = new(CaKeyKind.None, null, null, null, null);

    /// <summary>An encrypted PKCS#8 file in the CA directory, with its passphrase's source.</summary>
    public static CaKeyLocation EncryptedFile(SecretSource passphrase) => new(CaKeyKind.EncryptedFile, null, null, KeyFileName, passphrase);

    /// <summary>A key in a PKCS#11 token.</summary>
    public static CaKeyLocation Pkcs11(string uri, string module, SecretSource pin) =>
        new(CaKeyKind.Pkcs11, uri, Path.GetFullPath(module), null, pin);

    /// <summary>The reference the key backends open, for a CA kept in <paramref name="caDirectory"/>.</summary>
    /// <exception cref="CertificateAuthorityException"><see cref="CertificateAuthorityError.NoKey"/> for <see cref="CaKeyKind.None"/>.</exception>
    /// <exception cref="KeyCustodyException">The recorded URI is malformed.</exception>
    public KeyReference ToKeyReference(string caDirectory) => Kind switch
    {
        CaKeyKind.EncryptedFile => KeyReference.Parse("file:" + Path.Combine(caDirectory, File ?? KeyFileName), null, Secret?.ToPinSource()),
        CaKeyKind.Pkcs11 => KeyReference.Parse(Uri!, Module, Secret?.ToPinSource()),
        _ => throw new CertificateAuthorityException(CertificateAuthorityError.NoKey,
            $"the CA in '{caDirectory}' has no key in the store (its certificate was imported without one), so it cannot sign"),
    };

    /// <summary>For messages and listings.</summary>
    public override string ToString() => Kind switch
    {
        CaKeyKind.EncryptedFile => $"encrypted PKCS#8 file {File} (passphrase from {Secret})",
        CaKeyKind.Pkcs11 => $"PKCS#11 {Uri} in {Module} (PIN from {Secret})",
        _ => "no key in the store (certificate only)",
    };
}
