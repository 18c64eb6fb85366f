using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Profiles;

/// <summary>
/// Encodes and signs an X.509 v3 certificate (RFC 5280 4.1) to DER without making an
/// <see cref="X509Certificate2"/>: on OpenSSL 3, loading a certificate decodes its public key,
/// which costs several times the signature itself, and a CA issuing a line's worth of leaves
/// needs only the bytes. The extensions, subject and key come from a <see cref="CertificateRequest"/>
/// a profile has filled in, so the result is what <see cref="CertificateRequest.Create(X500DistinguishedName, X509SignatureGenerator, DateTimeOffset, DateTimeOffset, ReadOnlySpan{byte})"/>
/// would make. Thread-safe.
/// </summary>
internal static class CertificateEncoder
{
    private static readonly DateTimeOffset s_generalizedTimeFrom = new(2050, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The signed certificate's DER.</summary>
    public static byte[] Sign(CertificateRequest request, X500DistinguishedName issuer, X509SignatureGenerator generator,
        DateTimeOffset notBefore, DateTimeOffset notAfter, ReadOnlySpan<byte> serial)
    {
        var algorithm = generator.GetSignatureAlgorithmIdentifier(request.HashAlgorithm);
        var toBeSigned = ToBeSigned(request, issuer, algorithm, notBefore, notAfter, serial);
        var signature = generator.SignData(toBeSigned, request.HashAlgorithm);

        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 4.1.1)
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(toBeSigned);
            writer.WriteEncodedValue(algorithm);
            writer.WriteBitString(signature);
        }
        return writer.Encode();
    }

    private static byte[] ToBeSigned(CertificateRequest request, X500DistinguishedName issuer, byte[] algorithm,
        DateTimeOffset notBefore, DateTimeOffset notAfter, ReadOnlySpan<byte> serial)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                writer.WriteInteger(2); // v3 (RFC 5280 4.1.2.1)
            writer.WriteIntegerUnsigned(serial); // positive (RFC 5280 4.1.2.2)
            writer.WriteEncodedValue(algorithm); // the same AlgorithmIdentifier as the outer one (RFC 5280 4.1.2.3)
            writer.WriteEncodedValue(issuer.RawData);
            using (writer.PushSequence())
            {
                WriteTime(writer, notBefore);
                WriteTime(writer, notAfter);
            }
            writer.WriteEncodedValue(request.SubjectName.RawData);
            writer.WriteEncodedValue(request.PublicKey.ExportSubjectPublicKeyInfo());
            if (request.CertificateExtensions.Count > 0)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3)))
                using (writer.PushSequence())
                {
                    foreach (var extension in request.CertificateExtensions)
                    {
                        // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } (RFC 5280 4.1.2.9)
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(extension.Oid!.Value!);
                            if (extension.Critical)
                                writer.WriteBoolean(true);
                            writer.WriteOctetString(extension.RawData);
                        }
                    }
                }
            }
        }
        return writer.Encode();
    }

    /// <summary>RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime (no fractions) from 2050; whole seconds.</summary>
    private static void WriteTime(AsnWriter writer, DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        if (utc < s_generalizedTimeFrom)
            writer.WriteUtcTime(utc);
        else
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
    }
}
