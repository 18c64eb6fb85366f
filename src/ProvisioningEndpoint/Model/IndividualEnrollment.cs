using System.Security.Cryptography.X509Certificates;

namespace ProvisioningEndpoint.Model;

/// <summary>
/// An individual enrollment bound to one device certificate. The leaf's subject CN must equal
/// <see cref="RegistrationId"/>. A disabled individual enrollment blocks one device of a group.
/// </summary>
/// <param name="RegistrationId">The device's registration id.</param>
/// <param name="ClientCertificate">DER of the device (leaf) certificate.</param>
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
    /// <summary>SHA-1 thumbprint of the client certificate.</summary>
    public string Thumbprint => X509CertificateLoader.LoadCertificate(ClientCertificate).Thumbprint;
}
