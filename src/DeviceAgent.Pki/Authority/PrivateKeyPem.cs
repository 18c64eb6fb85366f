using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using DeviceAgent.Keys;
using DeviceAgent.Keys.Software;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// Reads a private key in the PEM forms OpenSSL and certGen.sh write: PKCS#8 (RFC 5958), encrypted
/// PKCS#8 (PBES2, RFC 8018), SEC1 EC keys (RFC 5915), PKCS#1 RSA keys (RFC 8017), and OpenSSL's
/// traditional encrypted PEM (<c>Proc-Type: 4,ENCRYPTED</c> + <c>DEK-Info</c>, RFC 1421 4.6.1.3),
/// which <c>openssl ec -aes256</c> and OpenSSL 1.1's <c>genrsa -aes256</c> still produce and .NET
/// cannot read by itself.
/// </summary>
internal static class PrivateKeyPem
{
    /// <summary>Reads the key file at <paramref name="path"/>.</summary>
    /// <exception cref="CertificateAuthorityException"><see cref="CertificateAuthorityError.ImportRefused"/>: unreadable, a wrong
    /// passphrase for a traditional encrypted key, or an unsupported form.</exception>
    /// <exception cref="KeyCustodyException">A PKCS#8/SEC1/PKCS#1 key is missing, unreadable or its passphrase is wrong
    /// (read by the Keys file backend), or the passphrase source cannot be read.</exception>
    public static AsymmetricAlgorithm Read(string path, SecretSource? passphrase)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused(path, $"it cannot be read ({e.Message})", e);
        }
        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
            return ReadTraditionalEncrypted(pem, path, Require(passphrase, path));
        // The forms .NET reads itself are the Keys file backend's; it says precisely what is wrong.
        var reference = KeyReference.Parse("file:" + Path.GetFullPath(path), null, passphrase?.ToPinSource());
        return new FileKeyBackend().OpenPrivateKey(reference);
    }

    private static SecretSource Require(SecretSource? passphrase, string sourceName) => passphrase ?? throw Refused(sourceName,
        "it is encrypted and no passphrase source was given (--key-passphrase-file or --key-passphrase-env)");

    private static AsymmetricAlgorithm ReadTraditionalEncrypted(string pem, string sourceName, SecretSource passphrase)
    {
        var lines = pem.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var begin = lines.FindIndex(l => l.StartsWith("-----BEGIN ", StringComparison.Ordinal) && l.EndsWith(" PRIVATE KEY-----", StringComparison.Ordinal));
        var end = begin < 0 ? -1 : lines.FindIndex(begin + 1, l => l.StartsWith("-----END ", StringComparison.Ordinal));
        if (begin < 0 || end < 0)
            throw Refused(sourceName, "its traditional encrypted PEM block is incomplete");
        var label = lines[begin]["-----BEGIN ".Length..^"-----".Length];
        var body = lines.GetRange(begin + 1, end - begin - 1);
        var dekInfo = body.FirstOrDefault(l => l.StartsWith("DEK-Info:", StringComparison.Ordinal))?["DEK-Info:".Length..].Trim().Split(',');
        if (dekInfo is not { Length: 2 })
            throw Refused(sourceName, "its DEK-Info header is missing or malformed (RFC 1421 4.6.1.3)");
        var base64 = string.Concat(body.SkipWhile(l => l.Length > 0).Skip(1));
        byte[] iv, encrypted;
        try
        {
            iv = Convert.FromHexString(dekInfo[1]);
            encrypted = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw Refused(sourceName, $"its traditional encrypted PEM is damaged ({e.Message})", e);
        }

        using var secret = passphrase.ToPinSource().Read();
        byte[] der;
        try
        {
            der = Decrypt(dekInfo[0].ToUpperInvariant(), secret.Utf8, iv, encrypted, sourceName);
        }
        catch (CryptographicException e)
        {
            throw Refused(sourceName, "it cannot be decrypted: the passphrase is wrong, or the file is damaged", e);
        }
        try
        {
            AsymmetricAlgorithm key = label switch
            {
                "EC PRIVATE KEY" => ImportEc(der),
                "RSA PRIVATE KEY" => ImportRsa(der),
                _ => throw Refused(sourceName, $"a traditional '{label}' is not supported; convert it: openssl pkcs8 -topk8 -in KEY"),
            };
            return key;
        }
        catch (CryptographicException e)
        {
            throw Refused(sourceName, "it cannot be decrypted: the passphrase is wrong, or the file is damaged", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static ECDsa ImportEc(byte[] der)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportECPrivateKey(der, out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static RSA ImportRsa(byte[] der)
    {
        var key = RSA.Create();
        try
        {
            key.ImportRSAPrivateKey(der, out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "Reading keys that OpenSSL encrypted with DES-EDE3-CBC; keys are re-encrypted with AES-256 when stored.")]
    private static byte[] Decrypt(string cipher, ReadOnlySpan<byte> passphrase, byte[] iv, byte[] encrypted, string sourceName)
    {
        using SymmetricAlgorithm algorithm = cipher switch
        {
            "AES-128-CBC" or "AES-192-CBC" or "AES-256-CBC" => Aes.Create(),
            "DES-EDE3-CBC" => TripleDES.Create(),
            _ => throw Refused(sourceName, $"its cipher {cipher} is not supported (AES-128/192/256-CBC and DES-EDE3-CBC are)"),
        };
        var keyLength = cipher switch { "AES-128-CBC" => 16, "AES-192-CBC" or "DES-EDE3-CBC" => 24, _ => 32 };
        if (iv.Length != algorithm.BlockSize / 8)
            throw Refused(sourceName, "its DEK-Info IV has the wrong length");
        var key = DeriveKey(passphrase, iv.AsSpan(0, 8), keyLength);
        try
        {
            algorithm.Key = key;
            return algorithm.DecryptCbc(encrypted, iv, PaddingMode.PKCS7);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// OpenSSL's EVP_BytesToKey with MD5 and one iteration, salted with the first 8 bytes of the IV:
    /// the key derivation of traditional encrypted PEM (PEM_do_header). Weak by design; used only to
    /// read such files once, never to write them.
    /// </summary>
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "Reading OpenSSL's traditional encrypted PEM requires its MD5-based key derivation; nothing is protected with it.")]
    private static byte[] DeriveKey(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, int length)
    {
        var key = new byte[length];
        var previous = Array.Empty<byte>();
        for (var filled = 0; filled < length;)
        {
            var input = new byte[previous.Length + passphrase.Length + salt.Length];
            previous.CopyTo(input, 0);
            passphrase.CopyTo(input.AsSpan(previous.Length));
            salt.CopyTo(input.AsSpan(previous.Length + passphrase.Length));
            previous = MD5.HashData(input);
            CryptographicOperations.ZeroMemory(input);
            var take = Math.Min(previous.Length, length - filled);
            previous.AsSpan(0, take).CopyTo(key.AsSpan(filled));
            filled += take;
        }
        return key;
    }

    private static CertificateAuthorityException Refused(string sourceName, string reason, Exception? inner = null) =>
        new(CertificateAuthorityError.ImportRefused, $"key file '{sourceName}': {reason}", inner);
}
