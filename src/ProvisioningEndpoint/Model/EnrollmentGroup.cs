using System.Security.Cryptography.X509Certificates;

namespace ProvisioningEndpoint.Model;

/// <summary>
/// An enrollment group: every device whose chain contains <see cref="SigningCertificate"/> (a
/// root or intermediate) enrolls through it, unless a more specific entry decides first.
/// </summary>
/// <param name="EnrollmentGroupId">The group's id.</param>
/// <param name="SigningCertificate">DER of the root or intermediate the group is bound to.</param>
/// <param name="CaReference">The name of the uploaded CA certificate the group refers to, if it was created by reference.</param>
/// <param name="Status">Enabled or disabled.</param>
/// <param name="InitialTwinJson">The initial twin (JSON) given to devices it provisions.</param>
/// <param name="Allocation">How hubs are chosen.</param>
/// <param name="Etag">Changes with every update.</param>
/// <param name="CreatedUtc">Creation time.</param>
/// <param name="UpdatedUtc">Last change.</param>
/// <param name="Issuance">cert-renewal: the certificate issuance policy for devices registering with a CSR; null for none.</param>
public sealed record EnrollmentGroup(
    string EnrollmentGroupId,
    byte[] SigningCertificate,
    string? CaReference,
    ProvisioningStatus Status,
    string? InitialTwinJson,
    AllocationSettings Allocation,
    string Etag,
    DateTimeOffset CreatedUtc,
    DateTimeOffset UpdatedUtc,
    Issuance.CertificateIssuancePolicy? Issuance = null)
{
    /// <summary>SHA-1 thumbprint of the signing certificate.</summary>
    public string SigningThumbprint => X509CertificateLoader.LoadCertificate(SigningCertificate).Thumbprint;
}
