using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Wire;

namespace ProvisioningEndpoint.Rest.EnrollmentGroups;

/// <summary>Enrollment groups between the DPS wire shape and the model.</summary>
internal static class EnrollmentGroupMapping
{
    /// <summary>The group a PUT body asks for, bound to <paramref name="signingCertificate"/> (a new etag; created time kept).</summary>
    /// <exception cref="Http.RestException">400 naming the field.</exception>
    public static EnrollmentGroup FromWire(string enrollmentGroupId, EnrollmentGroupWire wire, EnrollmentGroup? current, byte[] signingCertificate,
        string? caReference, IReadOnlyList<HubDefinition> hubs, DateTimeOffset now, Issuance.IssuerStore issuers)
    {
        var (status, twin, allocation) = EnrollmentFields.Read(wire, hubs);
        return new EnrollmentGroup(enrollmentGroupId, signingCertificate, caReference, status, twin, allocation, Etags.New(), current?.CreatedUtc ?? now, now,
            Issuance.IssuancePolicyWire.Read(wire.ClientCertificateIssuancePolicy, issuers)); // cert-renewal
    }

    /// <summary>The group as DPS shows it.</summary>
    public static EnrollmentGroupWire ToWire(EnrollmentGroup group, IReadOnlyList<HubDefinition> hubs)
    {
        ArgumentNullException.ThrowIfNull(group);
        return EnrollmentFields.Write(new EnrollmentGroupWire
        {
            EnrollmentGroupId = group.EnrollmentGroupId,
            ClientCertificateIssuancePolicy = Issuance.IssuancePolicyWire.Write(group.Issuance), // cert-renewal
            Attestation = AttestationMapping.WriteGroup(group.SigningCertificate, group.CaReference),
        }, group.Status, group.InitialTwinJson, group.Allocation, group.Etag, group.CreatedUtc, group.UpdatedUtc, hubs);
    }
}
