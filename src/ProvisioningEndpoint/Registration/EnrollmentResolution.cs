using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Registration;

/// <summary>What the first enrollment entry found decided.</summary>
public enum ResolutionOutcome
{
    /// <summary>An enabled entry: provision.</summary>
    Provision,
    /// <summary>A disabled entry: refuse, do not look further.</summary>
    Disabled,
    /// <summary>No entry (or the device failed attestation): refuse.</summary>
    Refused,
}

/// <summary>The decision for one registration.</summary>
/// <param name="Outcome">Provision, disabled or refused.</param>
/// <param name="Kind">The kind of entry that decided.</param>
/// <param name="EnrollmentId">Group id or registration id of the deciding entry.</param>
/// <param name="DeviceId">The device id in the hub when provisioning.</param>
/// <param name="InitialTwinJson">The entry's initial twin.</param>
/// <param name="Allocation">The entry's allocation settings.</param>
/// <param name="Reason">Why, in words (recorded; sent to the device on refusal).</param>
/// <param name="Issuance">cert-renewal: the deciding entry's certificate issuance policy, if any.</param>
/// <param name="RefusalReason">A refusal's reason as one of <see cref="Attestation.ChainRefusalReasons"/> (for metrics); null otherwise.</param>
public sealed record EnrollmentResolution(
    ResolutionOutcome Outcome,
    EnrollmentKind Kind,
    string? EnrollmentId,
    string? DeviceId,
    string? InitialTwinJson,
    AllocationSettings Allocation,
    string Reason,
    Issuance.CertificateIssuancePolicy? Issuance = null,
    string? RefusalReason = null)
{
    /// <summary>A refusal with its reason in words and as one of <see cref="Attestation.ChainRefusalReasons"/>.</summary>
    public static EnrollmentResolution Refuse(string reason, string refusalReason) =>
        new(ResolutionOutcome.Refused, EnrollmentKind.None, null, null, null, AllocationSettings.Default, reason, RefusalReason: refusalReason);
}
