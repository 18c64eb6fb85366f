namespace ProvisioningEndpoint.Model;

/// <summary>Which kind of entry decided a registration.</summary>
public enum EnrollmentKind
{
    /// <summary>No entry was found.</summary>
    None,
    /// <summary>An individual enrollment.</summary>
    Individual,
    /// <summary>An enrollment group.</summary>
    Group,
}

/// <summary>
/// A device's registration record (DPS "device registration state"): the last outcome of its
/// registration, whether assigned or refused, and the entry that decided it.
/// </summary>
/// <param name="RegistrationId">The device's registration id.</param>
/// <param name="OperationId">The operation of the last registration (what the device polls).</param>
/// <param name="Status">unassigned, assigning, assigned, failed or disabled (wire spelling).</param>
/// <param name="Substatus">initialAssignment, deviceDataMigrated, ... (when assigned).</param>
/// <param name="AssignedHub">The hub's name, when assigned.</param>
/// <param name="DeviceId">The device id in that hub, when assigned.</param>
/// <param name="ErrorCode">The extended DPS error code, when refused.</param>
/// <param name="ErrorMessage">Why it was refused.</param>
/// <param name="EnrollmentKind">The kind of entry that decided.</param>
/// <param name="EnrollmentId">Its id (group id or registration id).</param>
/// <param name="PayloadJson">The device's custom payload (JSON).</param>
/// <param name="CertificateThumbprint">SHA-1 thumbprint of the leaf that registered.</param>
/// <param name="Etag">Changes with every update.</param>
/// <param name="CreatedUtc">First registration.</param>
/// <param name="UpdatedUtc">Last change.</param>
/// <param name="IssuedCertificateChain">cert-renewal: the chain issued for this registration's CSR (base64 DER, leaf first, space-separated); null when none.</param>
public sealed record RegistrationRecord(
    string RegistrationId,
    string OperationId,
    string Status,
    string? Substatus,
    string? AssignedHub,
    string? DeviceId,
    int? ErrorCode,
    string? ErrorMessage,
    EnrollmentKind EnrollmentKind,
    string? EnrollmentId,
    string? PayloadJson,
    string? CertificateThumbprint,
    string Etag,
    DateTimeOffset CreatedUtc,
    DateTimeOffset UpdatedUtc,
    string? IssuedCertificateChain = null);
