using System.Security.Cryptography;
using System.Text.Json;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// An issuer key the endpoint made for a certificate request (<c>issuer create-request</c>), waiting
/// for its certificate (<c>issuer import --cert</c>): kept in <c>issuer-requests/NAME/</c> of the data
/// directory, the key encrypted there (PKCS#8, PBES2 AES-256-CBC, PBKDF2-SHA256) or in a PKCS#11
/// token; <c>pending.json</c> records where it is and where its passphrase or PIN comes from, never
/// the secret. The key never leaves the endpoint.
/// </summary>
internal sealed class PendingIssuerKey
{
    private const string DescriptorFile = "pending.json";
    private static readonly PbeParameters s_encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000);

    private PendingIssuerKey(string directory, CaKeyLocation location)
    {
        Directory = directory;
        Location = location;
    }

    /// <summary>The pending key's directory.</summary>
    public string Directory { get; }

    /// <summary>Where the key is and where its secret comes from.</summary>
    public CaKeyLocation Location { get; }

    /// <summary>The encrypted key file, for a key kept in the data directory.</summary>
    public string KeyFile => Path.Combine(Directory, CaKeyLocation.KeyFileName);

    public static string DirectoryOf(string dataDirectory, string name) => Path.Combine(Path.GetFullPath(dataDirectory), "issuer-requests", name);

    /// <summary>The pending key of an issuer name; null when there is none.</summary>
    public static PendingIssuerKey? Find(string dataDirectory, string name)
    {
        var directory = DirectoryOf(dataDirectory, name);
        var descriptor = Path.Combine(directory, DescriptorFile);
        if (!File.Exists(descriptor))
            return null;
        using var document = JsonDocument.Parse(File.ReadAllText(descriptor));
        var root = document.RootElement;
        var secret = SecretSource.FromFile(root.GetProperty("secretFile").GetString()!);
        var location = root.GetProperty("kind").GetString() == "pkcs11"
            ? CaKeyLocation.Pkcs11(root.GetProperty("uri").GetString()!, root.GetProperty("module").GetString()!, secret)
            : CaKeyLocation.EncryptedFile(secret);
        return new PendingIssuerKey(directory, location);
    }

    /// <summary>
    /// Makes (or, on a rerun, reuses) the key and opens it to sign the request: EC P-256, encrypted
    /// in the data directory with <paramref name="passphrase"/>, or generated inside the token named
    /// by <paramref name="token"/> (CKA_SENSITIVE, not extractable). The caller disposes the key.
    /// </summary>
    /// <exception cref="KeyCustodyException">The passphrase or PIN cannot be read, or the token refused.</exception>
    public static (PendingIssuerKey Pending, AsymmetricAlgorithm Key) Prepare(string dataDirectory, string name, SecretSource? passphrase, CaKeyLocation? token)
    {
        var directory = DirectoryOf(dataDirectory, name);
        System.IO.Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        AsymmetricAlgorithm key;
        CaKeyLocation location;
        if (token is not null)
        {
            location = token;
            key = KeyPreparation.EnsureAndOpen(IssuerStore.Keys, token.ToKeyReference(directory), KeyAlgorithm.EcP256).PrivateKey;
        }
        else
        {
            location = CaKeyLocation.EncryptedFile(passphrase!);
            var file = Path.Combine(directory, CaKeyLocation.KeyFileName);
            using var secret = passphrase!.ToPinSource().Read();
            if (File.Exists(file))
            {
                var ec = ECDsa.Create();
                ec.ImportFromEncryptedPem(File.ReadAllText(file), secret.Utf8);
                key = ec;
            }
            else
            {
                var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                DataFiles.WriteAtomically(file, ec.ExportEncryptedPkcs8PrivateKeyPem(secret.Utf8, s_encryption) + "\n", secret: true);
                key = ec;
            }
        }
        WriteDescriptor(directory, location);
        return (new PendingIssuerKey(directory, location), key);
    }

    /// <summary>Forgets the pending key once its issuer is imported (a token key stays where it is, now the issuer's).</summary>
    public void Complete() => System.IO.Directory.Delete(Directory, recursive: true);

    private static void WriteDescriptor(string directory, CaKeyLocation location)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", location.Kind == CaKeyKind.Pkcs11 ? "pkcs11" : "encrypted-file");
            if (location.Kind == CaKeyKind.Pkcs11)
            {
                writer.WriteString("uri", location.Uri);
                writer.WriteString("module", location.Module);
            }
            writer.WriteString("secretFile", location.Secret!.File);
            writer.WriteEndObject();
        }
        DataFiles.WriteAtomically(Path.Combine(directory, DescriptorFile), System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n", secret: false);
    }
}
