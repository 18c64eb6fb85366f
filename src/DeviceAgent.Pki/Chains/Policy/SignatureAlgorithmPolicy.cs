using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Policy;

/// <summary>
/// Which certificate signature algorithms a chain may use: ECDSA, RSA PKCS#1 v1.5 and RSASSA-PSS
/// with SHA-256, SHA-384 or SHA-512. SHA-1 and MD5 (and MD2, MD4) signatures are refused, as
/// OpenSSL 3 refuses them at its default security level 1 and 2 (SSL_CTX_set_security_level(3):
/// "SHA1 ... not permitted" at level 1 and above since OpenSSL 3.0; MD5 below 80 bits) and as RFC
/// 9155 deprecates them for TLS 1.2; DSA is refused as TLS 1.3 (RFC 8446 4.2.3) and DPS do not
/// offer it. Anything else is refused as unsupported, since no signature here can be verified
/// without it being one of the allowed ones.
/// </summary>
public static class SignatureAlgorithmPolicy
{
    /// <summary>
    /// The signature algorithm of <paramref name="certificate"/> in words and why it is refused;
    /// the reason is null when the algorithm is allowed. Never throws for an unreadable certificate:
    /// that is a reason too.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="certificate"/> is null.</exception>
    public static (string Algorithm, string? Weakness) Judge(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        SignedCertificate signed;
        try
        {
            signed = SignedCertificate.Read(certificate.RawDataMemory);
        }
        catch (AsnContentException e)
        {
            return ("unreadable", $"its signature algorithm cannot be read ({e.Message})");
        }
        return Judge(signed);
    }

    internal static (string Algorithm, string? Weakness) Judge(SignedCertificate signed)
    {
        var name = Name(signed);
        if (s_weak.TryGetValue(signed.AlgorithmOid, out var weak))
            return (weak, $"it is signed with {weak}, which OpenSSL 3 refuses at its default security level and RFC 9155 deprecates; re-issue it signed with SHA-256 or stronger");
        if (signed.Algorithm == SignatureAlgorithm.Unsupported)
            return (name, $"its signature algorithm {name} is not supported; use ECDSA or RSA with SHA-256, SHA-384 or SHA-512");
        if (signed.Hash == HashAlgorithmName.SHA1)
            return (name, $"it is signed with {name} over SHA-1, which OpenSSL 3 refuses at its default security level and RFC 9155 deprecates; re-issue it signed with SHA-256 or stronger");
        return (name, null);
    }

    private static string Name(SignedCertificate signed) => signed.Algorithm switch
    {
        SignatureAlgorithm.Ecdsa => $"ecdsa-with-{signed.Hash.Name}",
        SignatureAlgorithm.RsaPkcs1 => $"{signed.Hash.Name?.ToLowerInvariant()}WithRSAEncryption",
        SignatureAlgorithm.RsaPss => $"RSASSA-PSS ({signed.Hash.Name})",
        _ => new System.Security.Cryptography.Oid(signed.AlgorithmOid).FriendlyName is { Length: > 0 } friendly
            ? $"{friendly} ({signed.AlgorithmOid})"
            : signed.AlgorithmOid,
    };

    // RFC 3279 2.2.1 (md2/md5/sha1 with RSA), 2.2.2 (dsa-with-sha1), RFC 5758 3.1 (dsa-with-sha2).
    private static readonly Dictionary<string, string> s_weak = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.2"] = "md2WithRSAEncryption",
        ["1.2.840.113549.1.1.3"] = "md4WithRSAEncryption",
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
        ["1.2.840.10040.4.3"] = "dsa-with-sha1 (DSA)",
        ["2.16.840.1.101.3.4.3.1"] = "dsa-with-sha224 (DSA)",
        ["2.16.840.1.101.3.4.3.2"] = "dsa-with-sha256 (DSA)",
    };
}
