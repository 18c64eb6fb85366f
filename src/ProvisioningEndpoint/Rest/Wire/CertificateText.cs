using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Chains.Policy;
using DeviceAgent.Provisioning.Wire;
using ProvisioningEndpoint.Rest.Http;

namespace ProvisioningEndpoint.Rest.Wire;

/// <summary>
/// Certificates in request bodies: one certificate as PEM (<c>-----BEGIN CERTIFICATE-----</c>) or as
/// base64 DER, as DPS accepts them; and the <c>info</c> DPS shows instead of a certificate.
/// </summary>
internal static class CertificateText
{
    /// <summary>Reads one certificate from a body field.</summary>
    /// <exception cref="RestException">400 naming <paramref name="field"/>: missing, several certificates, or not a certificate.</exception>
    public static X509Certificate2 Read(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw RestException.BadField(field, "is required: one X.509 certificate, PEM or base64 DER");
        byte[] der;
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var blocks = new List<byte[]>();
            var rest = text.AsSpan();
            while (PemEncoding.TryFind(rest, out var fields))
            {
                var label = rest[fields.Label];
                if (!label.SequenceEqual("CERTIFICATE"))
                    throw RestException.BadField(field, $"holds a PEM '{label}' block; expected one CERTIFICATE");
                blocks.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
                rest = rest[fields.Location.End.Value..];
            }
            if (blocks.Count != 1)
                throw RestException.BadField(field, blocks.Count == 0 ? "is not a valid PEM certificate" : $"holds {blocks.Count} certificates; expected one");
            der = blocks[0];
        }
        else
        {
            var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
            der = new byte[compact.Length];
            if (!Convert.TryFromBase64String(compact, der, out var length))
                throw RestException.BadField(field, "is neither a PEM certificate nor base64 DER");
            der = der[..length];
        }
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw RestException.BadField(field, "is not an X.509 certificate (the DER does not decode)");
        }
    }

    /// <summary>
    /// Reads one certificate from a body field and holds it to the <see cref="DevicePolicy"/>: its
    /// key, and its signature unless it is a self-signed CA certificate, must be ones DPS and a
    /// current TLS stack accept, or no device could ever attest with it.
    /// </summary>
    /// <param name="text">The field's value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <param name="deviceCertificate">True for a device (leaf) certificate, false for a CA certificate.</param>
    /// <exception cref="RestException">400004 naming <paramref name="field"/> and the rule broken.</exception>
    public static X509Certificate2 ReadJudged(string? text, string field, bool deviceCertificate)
    {
        var certificate = Read(text, field);
        var role = deviceCertificate ? CertificateRole.Leaf
            : CertificateSignature.IsSelfSigned(certificate) ? CertificateRole.Root : CertificateRole.Intermediate;
        var violations = DevicePolicy.JudgeCertificate(certificate, CertificateIdentity.Of(certificate, 0, role)).ToList();
        if (violations.Count == 0)
            return certificate;
        certificate.Dispose();
        throw new RestException(DevicePolicy.InvalidRequestErrorCode, $"'{field}' is refused: {DevicePolicy.Describe(violations)}");
    }

    /// <summary>The info DPS shows of a certificate.</summary>
    public static X509CertificateInfo Info(byte[] der)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return new X509CertificateInfo
        {
            SubjectName = certificate.Subject,
            Sha1Thumbprint = certificate.Thumbprint,
            Sha256Thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256),
            IssuerName = certificate.Issuer,
            NotBeforeUtc = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            NotAfterUtc = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
        };
    }

    /// <summary>A certificate's subject and thumbprint, for messages.</summary>
    public static string Describe(X509Certificate2 certificate) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{certificate.Subject}\" (thumbprint {certificate.Thumbprint})");
}
