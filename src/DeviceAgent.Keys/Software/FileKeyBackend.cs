using System.Security.Cryptography;

namespace DeviceAgent.Keys.Software;

/// <summary>
/// Development-only keys in PEM files (PKCS#8, encrypted or not; SEC1 EC and PKCS#1 RSA).
/// A key in a file can be copied; <see cref="KeyBackends"/> refuses it unless allowed.
/// </summary>
public sealed class FileKeyBackend : IKeyBackend, IKeyGenerator, ITlsKeySource, IKeyDestroyer
{
    private static readonly Func<AsymmetricAlgorithm>[] s_factories = [ECDsa.Create, RSA.Create];

    /// <inheritdoc />
    public string Scheme => "file";

    /// <inheritdoc />
    public DevicePublicKey GetPublicKey(KeyReference key)
    {
        using var privateKey = OpenPrivateKey(key);
        return DevicePublicKey.FromAlgorithm(privateKey);
    }

    /// <summary>
    /// EC keys behind the same key-method bridge as token keys, so every backend signs the TLS
    /// CertificateVerify the same way (one counted private-key operation). RSA keys are handed to
    /// OpenSSL as they are: .NET's RSA offers no raw private operation, which the bridge would need
    /// for RSA-PSS (TLS 1.3), and a software key needs no bridge.
    /// </summary>
    /// <exception cref="KeyCustodyException">The file is missing, unreadable, or holds no supported key.</exception>
    public AsymmetricAlgorithm OpenForTls(KeyReference key)
    {
        var privateKey = OpenPrivateKey(key);
        if (privateKey is RSA)
            return privateKey;
        try
        {
            return OpenSsl.OpenSslKeyMethodBridge.Open(privateKey, DevicePublicKey.FromAlgorithm(privateKey), key.ToString());
        }
        catch
        {
            privateKey.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public AsymmetricAlgorithm OpenPrivateKey(KeyReference key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var path = key.FilePath!;
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeyCustodyException(KeyCustodyError.KeyNotFound, $"key file '{path}' does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new KeyCustodyException(KeyCustodyError.KeyNotFound, $"key file '{path}' is not readable by this user", e);
        }

        var encrypted = pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        using var passphrase = encrypted
            ? (key.Pin ?? throw new KeyCustodyException(KeyCustodyError.PinUnavailable,
                $"key file '{path}' is encrypted and no passphrase source is configured")).Read()
            : null;

        // A PKCS#8 PEM does not name its algorithm in the label: try EC, then RSA.
        Exception? last = null;
        foreach (var create in s_factories)
        {
            var candidate = create();
            try
            {
                if (passphrase is null)
                    candidate.ImportFromPem(pem);
                else
                    candidate.ImportFromEncryptedPem(pem, passphrase.Utf8);
                return candidate;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                candidate.Dispose();
                last = e;
            }
        }
        throw encrypted
            ? new KeyCustodyException(KeyCustodyError.PinRejected,
                $"key file '{path}' could not be decrypted: the passphrase is wrong or the file is damaged", last)
            : new KeyCustodyException(KeyCustodyError.UnsupportedKey,
                $"key file '{path}' holds no EC or RSA private key in PEM (PKCS#8, SEC1 or PKCS#1)", last);
    }

    /// <inheritdoc />
    public DevicePublicKey CreateKey(KeyReference key, KeyAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(key);
        var path = key.FilePath!;
        if (File.Exists(path))
            throw new KeyCustodyException(KeyCustodyError.KeyAlreadyExists, $"key file '{path}' already exists");
        using AsymmetricAlgorithm created = algorithm switch
        {
            KeyAlgorithm.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            KeyAlgorithm.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => RSA.Create(algorithm.KeySize()),
        };
        string pem;
        if (key.Pin is { } source)
        {
            using var passphrase = source.Read();
            pem = created.ExportEncryptedPkcs8PrivateKeyPem(passphrase.Utf8,
                new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000));
        }
        else
        {
            pem = created.ExportPkcs8PrivateKeyPem();
        }
        SecretFile.WriteNew(path, pem);
        return DevicePublicKey.FromAlgorithm(created);
    }

    /// <inheritdoc />
    public bool DestroyKey(KeyReference key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var path = key.FilePath!;
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }
}
