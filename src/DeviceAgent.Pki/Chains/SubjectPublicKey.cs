using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains;

/// <summary>
/// A public key in the canonical SubjectPublicKeyInfo form keys are compared in, and a short
/// description for messages ("EC P-256, SPKI SHA-256 1A2B3C4D5E6F7081").
/// </summary>
internal sealed class SubjectPublicKey
{
    private SubjectPublicKey(byte[] canonical, string description)
    {
        Canonical = canonical;
        Description = description;
    }

    public byte[] Canonical { get; }

    public string Description { get; }

    public bool SameKeyAs(SubjectPublicKey other) => Canonical.AsSpan().SequenceEqual(other.Canonical);

    public static SubjectPublicKey Of(X509Certificate2 certificate) => Read(certificate.PublicKey.ExportSubjectPublicKeyInfo());

    /// <exception cref="CryptographicException">The bytes are not a SubjectPublicKeyInfo.</exception>
    public static SubjectPublicKey Read(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        string kind;
        byte[] canonical;
        ECDsa? ec;
        try
        {
            ec = publicKey.GetECDsaPublicKey();
        }
        catch (PlatformNotSupportedException e)
        {
            // An EC key on a curve OpenSSL does not know: the OID is the sender's to choose.
            throw new CryptographicException($"the EC public key is on a curve this platform does not support ({e.Message})", e);
        }
        // RFC 5480 2.1.1 id-ecPublicKey, RFC 3279 2.3.1 rsaEncryption; others compare byte for byte.
        if (ec is not null)
        {
            using (ec)
            {
                canonical = ec.ExportSubjectPublicKeyInfo();
                kind = "EC " + CurveName(ec.ExportParameters(includePrivateParameters: false).Curve);
            }
        }
        else if (publicKey.GetRSAPublicKey() is { } rsa)
        {
            using (rsa)
            {
                canonical = rsa.ExportSubjectPublicKeyInfo();
                kind = string.Create(CultureInfo.InvariantCulture, $"RSA {rsa.KeySize}");
            }
        }
        else
        {
            canonical = subjectPublicKeyInfo.ToArray();
            kind = publicKey.Oid.FriendlyName ?? publicKey.Oid.Value ?? "unknown algorithm";
        }

        var digest = Convert.ToHexString(SHA256.HashData(canonical).AsSpan(0, 8));
        return new SubjectPublicKey(canonical, $"{kind}, SPKI SHA-256 {digest}");
    }

    internal static string CurveName(ECCurve curve) => curve.Oid?.Value switch
    {
        "1.2.840.10045.3.1.7" => "P-256", // RFC 5480 2.1.1.1 secp256r1
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        _ => curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "explicit curve",
    };
}
