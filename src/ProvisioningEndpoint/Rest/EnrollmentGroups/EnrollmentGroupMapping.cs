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
        string? caReference, IReadOnlyList<HubDefinition> hubs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wire);
        return new EnrollmentGroup(enrollmentGroupId, signingCertificate, caReference, EnrollmentFields.ReadStatus(wire.ProvisioningStatus),
            EnrollmentFields.ReadInitialTwin(wire.InitialTwin), AllocationMapping.Read(wire.AllocationPolicy, wire.IotHubs, wire.IotHubHostName, hubs),
            Etags.New(), current?.CreatedUtc ?? now, now);
    }

    /// <summary>The group as DPS shows it.</summary>
    public static EnrollmentGroupWire ToWire(EnrollmentGroup group, IReadOnlyList<HubDefinition> hubs)
    {
        ArgumentNullException.ThrowIfNull(group);
        var (policy, iotHubs, hostName) = AllocationMapping.Write(group.Allocation, hubs);
        return new EnrollmentGroupWire
        {
            EnrollmentGroupId = group.EnrollmentGroupId,
            Attestation = AttestationMapping.WriteGroup(group.SigningCertificate, group.CaReference),
            Capabilities = EnrollmentFields.Capabilities,
            IotHubHostName = hostName,
            InitialTwin = EnrollmentFields.WriteInitialTwin(group.InitialTwinJson),
            Etag = group.Etag,
            ProvisioningStatus = EnrollmentFields.WriteStatus(group.Status),
            ReprovisionPolicy = EnrollmentFields.ReprovisionPolicy,
            CreatedDateTimeUtc = group.CreatedUtc,
            LastUpdatedDateTimeUtc = group.UpdatedUtc,
            AllocationPolicy = policy,
            IotHubs = iotHubs,
        };
    }
}
