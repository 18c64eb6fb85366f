using System.Formats.Asn1;
using System.Security.Cryptography;

namespace DeviceAgent.Pki.Chains;

internal enum SignatureAlgorithm
{
    Unsupported,
    Ecdsa,
    RsaPkcs1,
    RsaPss,
}

/// <summary>
/// The three parts of a certificate's outer structure (RFC 5280 4.1):
/// <c>Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }</c>.
/// </summary>
internal sealed record SignedCertificate(
    ReadOnlyMemory<byte> ToBeSigned, string AlgorithmOid, SignatureAlgorithm Algorithm, HashAlgorithmName Hash, ReadOnlyMemory<byte> Signature)
{
    /// <exception cref="AsnContentException">The DER is not a certificate.</exception>
    public static SignedCertificate Read(ReadOnlyMemory<byte> der)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var toBeSigned = certificate.ReadEncodedValue();
        var algorithmIdentifier = certificate.ReadSequence();
        var oid = algorithmIdentifier.ReadObjectIdentifier();
        var signature = certificate.ReadBitString(out _);
        var (algorithm, hash) = Classify(oid, algorithmIdentifier);
        return new SignedCertificate(toBeSigned, oid, algorithm, hash, signature);
    }

    private static (SignatureAlgorithm, HashAlgorithmName) Classify(string oid, AsnReader parameters) => oid switch
    {
        // RFC 5758 3.2 (ecdsa-with-SHA2), RFC 3279 2.2.3 (ecdsa-with-SHA1)
        "1.2.840.10045.4.1" => (SignatureAlgorithm.Ecdsa, HashAlgorithmName.SHA1),
        "1.2.840.10045.4.3.2" => (SignatureAlgorithm.Ecdsa, HashAlgorithmName.SHA256),
        "1.2.840.10045.4.3.3" => (SignatureAlgorithm.Ecdsa, HashAlgorithmName.SHA384),
        "1.2.840.10045.4.3.4" => (SignatureAlgorithm.Ecdsa, HashAlgorithmName.SHA512),
        // RFC 4055 5 (sha*WithRSAEncryption), RFC 3279 2.2.1 (sha1WithRSAEncryption)
        "1.2.840.113549.1.1.5" => (SignatureAlgorithm.RsaPkcs1, HashAlgorithmName.SHA1),
        "1.2.840.113549.1.1.11" => (SignatureAlgorithm.RsaPkcs1, HashAlgorithmName.SHA256),
        "1.2.840.113549.1.1.12" => (SignatureAlgorithm.RsaPkcs1, HashAlgorithmName.SHA384),
        "1.2.840.113549.1.1.13" => (SignatureAlgorithm.RsaPkcs1, HashAlgorithmName.SHA512),
        // RFC 4055 3.1 id-RSASSA-PSS
        "1.2.840.113549.1.1.10" => ClassifyPss(parameters),
        _ => (SignatureAlgorithm.Unsupported, default),
    };

    /// <summary>
    /// RSASSA-PSS-params (RFC 4055 3.1). .NET verifies PSS with MGF1 over the same hash and a salt
    /// as long as the hash, which is what every common CA writes; other parameters are reported
    /// as unsupported rather than guessed.
    /// </summary>
    private static (SignatureAlgorithm, HashAlgorithmName) ClassifyPss(AsnReader algorithmIdentifier)
    {
        var parameters = algorithmIdentifier.ReadSequence();
        var hash = HashAlgorithmName.SHA1; // RFC 4055 3.1: the default hashAlgorithm is sha1
        var saltLength = 20;
        var hashTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(hashTag))
        {
            var hashAlgorithm = parameters.ReadSequence(hashTag).ReadSequence();
            hash = hashAlgorithm.ReadObjectIdentifier() switch
            {
                "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
                "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
                "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
                "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
                _ => default,
            };
        }

        var maskTag = new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true);
        if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(maskTag))
            parameters.ReadEncodedValue();
        var saltTag = new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true);
        if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(saltTag))
        {
            if (!parameters.ReadSequence(saltTag).TryReadInt32(out saltLength))
                return (SignatureAlgorithm.Unsupported, default);
        }

        var hashLength = hash.Name switch
        {
            "SHA1" => 20,
            "SHA256" => 32,
            "SHA384" => 48,
            "SHA512" => 64,
            _ => -1,
        };
        return hashLength == saltLength ? (SignatureAlgorithm.RsaPss, hash) : (SignatureAlgorithm.Unsupported, default);
    }
}
