using System.Security.Cryptography.X509Certificates;

namespace ProvisioningEndpoint.Model;

/// <summary>
/// An individual enrollment bound to one device certificate (X.509 attestation; the leaf's
/// subject CN must equal <see cref="RegistrationId"/>) or to one TPM's endorsement key (TPM
/// attestation; <see cref="EndorsementKey"/> set, <see cref="ClientCertificate"/> empty). A
/// disabled individual enrollment blocks one device of a group.
/// </summary>
/// <param name="RegistrationId">The device's registration id.</param>
/// <param name="ClientCertificate">DER of the device (leaf) certificate; empty for TPM attestation.</param>
/// <param name="DeviceId">The device id in the hub; the registration id when null.</param>
/// <param name="Status">Enabled or disabled.</param>
/// <param name="InitialTwinJson">The initial twin (JSON).</param>
/// <param name="Allocation">How hubs are chosen.</param>
/// <param name="Etag">Changes with every update.</param>
/// <param name="CreatedUtc">Creation time.</param>
/// <param name="UpdatedUtc">Last change.</param>
/// <param name="Issuance">cert-renewal: the certificate issuance policy for a registration with a CSR; null for none.</param>
public sealed record IndividualEnrollment(
    string RegistrationId,
    byte[] ClientCertificate,
    string? DeviceId,
    ProvisioningStatus Status,
    string? InitialTwinJson,
    AllocationSettings Allocation,
    string Etag,
    DateTimeOffset CreatedUtc,
    DateTimeOffset UpdatedUtc,
    Issuance.CertificateIssuancePolicy? Issuance = null)
{
    /// <summary>TPM attestation: the endorsement key's TPM2B_PUBLIC as the service API received it; null for X.509.</summary>
    public byte[]? EndorsementKey { get; init; }

    /// <summary>True for TPM attestation.</summary>
    public bool IsTpm => EndorsementKey is not null;

    /// <summary>SHA-1 thumbprint of the client certificate; empty for TPM attestation.</summary>
    public string Thumbprint => IsTpm ? "" : X509CertificateLoader.LoadCertificate(ClientCertificate).Thumbprint;
}
