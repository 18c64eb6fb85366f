using System.Security.Cryptography.X509Certificates;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;

namespace ProvisioningEndpoint.Rest.Enrollments;

/// <summary>What a group's attestation names: a signing certificate, or an uploaded CA certificate by name.</summary>
/// <param name="Certificate">The signing certificate (DER), when given or kept.</param>
/// <param name="CaReference">The CA certificate's name, when referenced.</param>
internal sealed record GroupAttestation(byte[]? Certificate, string? CaReference);

/// <summary>
/// Reads and writes X.509 attestation. Individual enrollments take
/// <c>x509.clientCertificates.primary</c>; groups take <c>x509.signingCertificates.primary</c> or
/// <c>x509.caReferences.primary</c>. One certificate per entry (no secondary). Responses show a
/// certificate's <c>info</c>, not the certificate, as DPS does; so a request that sends back what
/// it read (info without certificate) keeps the stored certificate when the thumbprint agrees.
/// </summary>
internal static class AttestationMapping
{
    private const string X509Field = "attestation.x509";

    /// <summary>The client certificate (DER) of an individual enrollment.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static byte[] ReadClientCertificate(AttestationMechanismWire? attestation, byte[]? current)
    {
        var x509 = RequireX509(attestation);
        if (x509.SigningCertificates is not null || x509.CaReferences is not null)
        {
            var field = x509.SigningCertificates is not null ? "signingCertificates" : "caReferences";
            throw RestException.BadField($"{X509Field}.{field}", $"is for enrollment groups; an individual enrollment takes '{X509Field}.clientCertificates'");
        }
        return ReadCertificate(x509.ClientCertificates, $"{X509Field}.clientCertificates", current, deviceCertificate: true);
    }

    /// <summary>The signing certificate or CA reference of an enrollment group.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static GroupAttestation ReadGroup(AttestationMechanismWire? attestation, byte[]? currentCertificate)
    {
        var x509 = RequireX509(attestation);
        if (x509.ClientCertificates is not null)
        {
            throw RestException.BadField($"{X509Field}.clientCertificates",
                $"is for individual enrollments; a group takes '{X509Field}.signingCertificates' or '{X509Field}.caReferences'");
        }
        if (x509.SigningCertificates is not null && x509.CaReferences is not null)
            throw RestException.BadField(X509Field, "has both signingCertificates and caReferences; send one");
        if (x509.CaReferences is { } references)
        {
            if (!string.IsNullOrEmpty(references.Secondary))
                throw RestException.BadField($"{X509Field}.caReferences.secondary", "is not supported: one CA certificate per group");
            if (string.IsNullOrEmpty(references.Primary))
                throw RestException.BadField($"{X509Field}.caReferences.primary", "is required: the name of an uploaded CA certificate");
            return new GroupAttestation(null, references.Primary);
        }
        if (x509.SigningCertificates is null)
            throw RestException.BadField($"{X509Field}.signingCertificates", $"or '{X509Field}.caReferences' is required");
        var der = ReadCertificate(x509.SigningCertificates, $"{X509Field}.signingCertificates", currentCertificate, deviceCertificate: false);
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        bool isCa;
        try
        {
            isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: false };
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            // Found by the rest-body fuzz target: a basic constraints extension whose DER is corrupt.
            throw RestException.BadField($"{X509Field}.signingCertificates.primary.certificate",
                $"has a basic constraints extension that cannot be decoded ({e.Message}, RFC 5280 4.2.1.9); send a well-formed CA certificate");
        }
        if (!isCa)
        {
            throw RestException.BadField($"{X509Field}.signingCertificates.primary.certificate",
                $"is {CertificateText.Describe(certificate)}, not a CA certificate (basic constraints cA is false, RFC 5280 4.2.1.9); a group is bound to a root or intermediate");
        }
        return new GroupAttestation(der, null);
    }

    /// <summary>The attestation of an individual enrollment, as DPS shows it.</summary>
    public static AttestationMechanismWire WriteClient(byte[] certificate) => new()
    {
        Type = "x509",
        X509 = new X509AttestationWire { ClientCertificates = new X509CertificatesWire { Primary = new X509CertificateWithInfoWire { Info = CertificateText.Info(certificate) } } },
    };

    /// <summary>The attestation of a group, as DPS shows it.</summary>
    public static AttestationMechanismWire WriteGroup(byte[] certificate, string? caReference) => new()
    {
        Type = "x509",
        X509 = caReference is not null
            ? new X509AttestationWire { CaReferences = new X509CaReferencesWire { Primary = caReference } }
            : new X509AttestationWire { SigningCertificates = new X509CertificatesWire { Primary = new X509CertificateWithInfoWire { Info = CertificateText.Info(certificate) } } },
    };

    /// <summary>The endorsement key (TPM2B_PUBLIC) of a TPM individual enrollment; null when the attestation is X.509.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static byte[]? ReadEndorsementKey(AttestationMechanismWire? attestation)
    {
        if (attestation?.Type is not { } type || !string.Equals(type, "tpm", StringComparison.OrdinalIgnoreCase))
            return null;
        var text = attestation.Tpm?.EndorsementKey;
        if (string.IsNullOrWhiteSpace(text))
            throw RestException.BadField("attestation.tpm.endorsementKey", "is required for type 'tpm': the base64 TPM2B_PUBLIC of the TPM's endorsement key");
        return TpmKeyText.Read(text, "attestation.tpm.endorsementKey");
    }

    /// <summary>The attestation of a TPM individual enrollment, as DPS shows it.</summary>
    public static AttestationMechanismWire WriteTpm(byte[] endorsementKey) => new()
    {
        Type = "tpm",
        Tpm = new TpmAttestationWire { EndorsementKey = Convert.ToBase64String(endorsementKey) },
    };

    private static X509AttestationWire RequireX509(AttestationMechanismWire? attestation)
    {
        if (attestation is null)
            throw RestException.BadField("attestation", "is required: {\"type\": \"x509\", \"x509\": {...}}");
        if (string.IsNullOrEmpty(attestation.Type))
            throw RestException.BadField("attestation.type", "is required; this endpoint serves 'x509'");
        if (!string.Equals(attestation.Type, "x509", StringComparison.OrdinalIgnoreCase))
        {
            throw RestException.BadField("attestation.type",
                string.Equals(attestation.Type, "tpm", StringComparison.OrdinalIgnoreCase)
                    ? "is 'tpm', which this endpoint serves for individual enrollments only (as DPS does); an enrollment group takes 'x509'"
                    : $"is '{EnrollmentFields.Shorten(attestation.Type)}'; this endpoint serves X.509 attestation ('x509') and TPM individual enrollments ('tpm'), not symmetric keys");
        }
        return attestation.X509 ?? throw RestException.BadField(X509Field, "is required for type 'x509'");
    }

    private static byte[] ReadCertificate(X509CertificatesWire? certificates, string field, byte[]? current, bool deviceCertificate)
    {
        if (certificates is null)
            throw RestException.BadField(field, "is required: {\"primary\": {\"certificate\": \"PEM or base64\"}}");
        if (certificates.Secondary is not null)
            throw RestException.BadField($"{field}.secondary", "is not supported: one certificate per enrollment");
        var primary = certificates.Primary ?? throw RestException.BadField($"{field}.primary", "is required: {\"certificate\": \"PEM or base64\"}");
        if (string.IsNullOrWhiteSpace(primary.Certificate) && current is not null)
        {
            // Read-modify-write: the client sends back the info it read; the certificate stays.
            using var stored = X509CertificateLoader.LoadCertificate(current);
            var thumbprint = primary.Info?.Sha1Thumbprint;
            if (thumbprint is null || string.Equals(thumbprint, stored.Thumbprint, StringComparison.OrdinalIgnoreCase))
                return current;
            throw RestException.BadField($"{field}.primary.certificate", $"is required to change the certificate (the info names {thumbprint}, the entry holds {stored.Thumbprint})");
        }
        using var certificate = CertificateText.ReadJudged(primary.Certificate, $"{field}.primary.certificate", deviceCertificate);
        return certificate.RawData;
    }
}
