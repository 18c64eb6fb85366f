using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains;

/// <summary>
/// Verifies the signature of one certificate with the public key of another, and decides
/// whether one certificate issued another (RFC 5280 6.1.3 (a)(1) and (a)(4)). .NET has no
/// public "verify this certificate's signature with that key" call short of building a chain,
/// so the signed part is read from the DER and verified explicitly.
/// </summary>
public static class CertificateSignature
{
    /// <summary>
    /// Whether <paramref name="issuer"/> issued <paramref name="subject"/>: the issuer name of the
    /// subject equals the issuer's subject name, and the subject's signature verifies with the
    /// issuer's public key.
    /// </summary>
    public static bool IsIssuedBy(X509Certificate2 subject, X509Certificate2 issuer) =>
        NamesChain(subject, issuer) && Verify(subject, issuer).IsValid;

    /// <summary>Whether <paramref name="certificate"/> is self-signed (self-issued and its signature verifies with its own key).</summary>
    public static bool IsSelfSigned(X509Certificate2 certificate) => IsIssuedBy(certificate, certificate);

    /// <summary>Whether the issuer name of <paramref name="subject"/> is the subject name of <paramref name="issuer"/> (RFC 5280 6.1.3 (a)(4)).</summary>
    public static bool NamesChain(X509Certificate2 subject, X509Certificate2 issuer) =>
        subject.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)
        || string.Equals(subject.IssuerName.Name, issuer.SubjectName.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the certificate is self-issued: its issuer and subject names are the same (RFC 5280 6.1).</summary>
    public static bool IsSelfIssued(X509Certificate2 certificate) => NamesChain(certificate, certificate);

    /// <summary>
    /// Verifies the signature of <paramref name="subject"/> with the public key of
    /// <paramref name="issuer"/>. Never throws for bad input: an unreadable certificate or an
    /// unsupported algorithm is a failed verification with a reason.
    /// </summary>
    internal static SignatureVerification Verify(X509Certificate2 subject, X509Certificate2 issuer) =>
        VerifySigned(subject.RawDataMemory, issuer.PublicKey);

    /// <summary>
    /// Verifies a signed structure of the shape <c>SEQUENCE { toBeSigned, signatureAlgorithm,
    /// signatureValue BIT STRING }</c> (a certificate, RFC 5280 4.1; a certification request,
    /// RFC 2986 4) with <paramref name="key"/>. Never throws for bad input.
    /// </summary>
    internal static SignatureVerification VerifySigned(ReadOnlyMemory<byte> der, PublicKey key)
    {
        AsymmetricAlgorithm? verifier;
        try
        {
            verifier = (AsymmetricAlgorithm?)key.GetECDsaPublicKey() ?? key.GetRSAPublicKey();
        }
        // OpenSSL's interop throws PlatformNotSupportedException for an EC key on a curve it does
        // not know (an OID anyone can write into a certificate or request): bad input, like the rest.
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            return SignatureVerification.Failed($"the issuer's public key cannot be read ({e.Message})");
        }
        using (verifier)
            return VerifySigned(der, verifier);
    }

    /// <summary>
    /// As <see cref="VerifySigned(ReadOnlyMemory{byte}, PublicKey)"/>, with a key object made once
    /// for many verifications (a CA checking what it signs: making one costs more than verifying).
    /// </summary>
    internal static SignatureVerification VerifySigned(ReadOnlyMemory<byte> der, AsymmetricAlgorithm? key)
    {
        SignedCertificate signed;
        try
        {
            signed = SignedCertificate.Read(der);
        }
        catch (AsnContentException e)
        {
            return SignatureVerification.Failed($"its DER encoding cannot be read ({e.Message})");
        }

        try
        {
            return signed.Algorithm switch
            {
                SignatureAlgorithm.Ecdsa => VerifyEcdsa(signed, key),
                SignatureAlgorithm.RsaPkcs1 or SignatureAlgorithm.RsaPss => VerifyRsa(signed, key),
                _ => SignatureVerification.Failed($"its signature algorithm {signed.AlgorithmOid} is not supported"),
            };
        }
        catch (CryptographicException e)
        {
            return SignatureVerification.Failed($"the issuer's public key cannot verify it ({e.Message})");
        }
    }

    private static SignatureVerification VerifyEcdsa(SignedCertificate signed, AsymmetricAlgorithm? issuerKey)
    {
        if (issuerKey is not ECDsa key)
            return SignatureVerification.Failed("it is signed with ECDSA but the issuer's key is not an EC key");
        var valid = key.VerifyData(signed.ToBeSigned.Span, signed.Signature.Span, signed.Hash, DSASignatureFormat.Rfc3279DerSequence);
        return valid ? SignatureVerification.Valid : SignatureVerification.Failed("the ECDSA signature does not verify");
    }

    private static SignatureVerification VerifyRsa(SignedCertificate signed, AsymmetricAlgorithm? issuerKey)
    {
        if (issuerKey is not RSA key)
            return SignatureVerification.Failed("it is signed with RSA but the issuer's key is not an RSA key");
        var padding = signed.Algorithm == SignatureAlgorithm.RsaPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        var valid = key.VerifyData(signed.ToBeSigned.Span, signed.Signature.Span, signed.Hash, padding);
        return valid ? SignatureVerification.Valid : SignatureVerification.Failed("the RSA signature does not verify");
    }
}

/// <summary>The outcome of one signature verification; <see cref="Problem"/> says why it failed.</summary>
internal readonly record struct SignatureVerification(bool IsValid, string? Problem)
{
    public static SignatureVerification Valid => new(true, null);

    public static SignatureVerification Failed(string problem) => new(false, problem);
}
