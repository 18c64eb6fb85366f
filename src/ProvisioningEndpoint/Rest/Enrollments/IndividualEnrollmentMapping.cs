using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Provisioning.Wire;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Hubs;
using ProvisioningEndpoint.Rest.Wire;

namespace ProvisioningEndpoint.Rest.Enrollments;

/// <summary>Individual enrollments between the DPS wire shape and the model.</summary>
internal static class IndividualEnrollmentMapping
{
    /// <summary>The enrollment a PUT body asks for (a new etag; created time kept from <paramref name="current"/>).</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static IndividualEnrollment FromWire(string registrationId, IndividualEnrollmentWire wire, IndividualEnrollment? current,
        IReadOnlyList<HubDefinition> hubs, DateTimeOffset now)
    {
        EnrollmentFields.CheckBodyId(wire.RegistrationId, registrationId, "registrationId");
        EnrollmentFields.RefuseUnsupported(wire.Capabilities);
        var certificate = AttestationMapping.ReadClientCertificate(wire.Attestation, current?.ClientCertificate);
        using (var leaf = X509CertificateLoader.LoadCertificate(certificate))
        {
            // DPS X.509 attestation: an individual enrollment's leaf has CN = registration id.
            var commonName = leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!string.Equals(commonName, registrationId, StringComparison.Ordinal))
            {
                throw RestException.BadField("attestation.x509.clientCertificates.primary.certificate",
                    $"has subject CN '{commonName}'; an individual enrollment's device certificate must have CN = its registration id '{registrationId}'");
            }
        }
        var deviceId = wire.DeviceId is null ? null : DeviceIds.Check(wire.DeviceId, "deviceId");
        return new IndividualEnrollment(registrationId, certificate, deviceId, EnrollmentFields.ReadStatus(wire.ProvisioningStatus),
            EnrollmentFields.ReadInitialTwin(wire.InitialTwin), AllocationMapping.Read(wire.AllocationPolicy, wire.IotHubs, wire.IotHubHostName, hubs),
            Etags.New(), current?.CreatedUtc ?? now, now);
    }

    /// <summary>The enrollment as DPS shows it, with the device's registration state when there is one.</summary>
    public static IndividualEnrollmentWire ToWire(IndividualEnrollment enrollment, DeviceRegistrationState? registrationState, IReadOnlyList<HubDefinition> hubs)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var (policy, iotHubs, hostName) = AllocationMapping.Write(enrollment.Allocation, hubs);
        return new IndividualEnrollmentWire
        {
            RegistrationId = enrollment.RegistrationId,
            DeviceId = enrollment.DeviceId,
            RegistrationState = registrationState,
            Attestation = AttestationMapping.WriteClient(enrollment.ClientCertificate),
            Capabilities = EnrollmentFields.Capabilities,
            IotHubHostName = hostName,
            InitialTwin = EnrollmentFields.WriteInitialTwin(enrollment.InitialTwinJson),
            Etag = enrollment.Etag,
            ProvisioningStatus = EnrollmentFields.WriteStatus(enrollment.Status),
            ReprovisionPolicy = EnrollmentFields.ReprovisionPolicy,
            CreatedDateTimeUtc = enrollment.CreatedUtc,
            LastUpdatedDateTimeUtc = enrollment.UpdatedUtc,
            AllocationPolicy = policy,
            IotHubs = iotHubs,
        };
    }
}
