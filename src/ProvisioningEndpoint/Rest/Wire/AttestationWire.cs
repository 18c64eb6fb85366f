using DeviceAgent.Provisioning.Wire;

namespace ProvisioningEndpoint.Rest.Wire;

// The attestation mechanism of DPS enrollments (service API 2021-10-01). X.509 (individual and
// groups) and TPM (individual) are served; symmetric keys are read so that they can be refused by name.

/// <summary><c>{"type": "x509", "x509": {...}}</c>.</summary>
internal sealed class AttestationMechanismWire
{
    /// <summary>x509, tpm or symmetricKey.</summary>
    public string? Type { get; set; }

    public X509AttestationWire? X509 { get; set; }

    public TpmAttestationWire? Tpm { get; set; }

    public System.Text.Json.JsonElement? SymmetricKey { get; set; }
}

/// <summary>Client certificates (individual enrollments), signing certificates or CA references (groups).</summary>
internal sealed class X509AttestationWire
{
    public X509CertificatesWire? ClientCertificates { get; set; }

    public X509CertificatesWire? SigningCertificates { get; set; }

    public X509CaReferencesWire? CaReferences { get; set; }
}

/// <summary>A primary (and optional secondary) certificate.</summary>
internal sealed class X509CertificatesWire
{
    public X509CertificateWithInfoWire? Primary { get; set; }

    public X509CertificateWithInfoWire? Secondary { get; set; }
}

/// <summary>A certificate as sent (PEM or base64 DER) and, in responses, its info.</summary>
internal sealed class X509CertificateWithInfoWire
{
    public string? Certificate { get; set; }

    /// <summary>What DPS shows instead of the certificate (the shared DPS wire type).</summary>
    public X509CertificateInfo? Info { get; set; }
}

/// <summary>Names of uploaded CA certificates.</summary>
internal sealed class X509CaReferencesWire
{
    public string? Primary { get; set; }

    public string? Secondary { get; set; }
}

/// <summary>
/// <c>{"endorsementKey": base64 TPM2B_PUBLIC, "storageRootKey": ...}</c>: what the service SDKs
/// send for TPM attestation. DPS shows the endorsement key back; the SRK is the device's to send.
/// </summary>
internal sealed class TpmAttestationWire
{
    public string? EndorsementKey { get; set; }

    public string? StorageRootKey { get; set; }
}
