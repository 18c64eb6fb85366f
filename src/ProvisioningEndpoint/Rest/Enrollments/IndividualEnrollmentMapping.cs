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
        IReadOnlyList<HubDefinition> hubs, DateTimeOffset now, Issuance.IssuerStore issuers)
    {
        EnrollmentFields.CheckBodyId(wire.RegistrationId, registrationId, "registrationId");
        var (status, twin, allocation) = EnrollmentFields.Read(wire, hubs);
        var deviceId = wire.DeviceId is null ? null : DeviceIds.Check(wire.DeviceId, "deviceId");
        if (AttestationMapping.ReadEndorsementKey(wire.Attestation) is { } endorsementKey)
        {
            return new IndividualEnrollment(registrationId, [], deviceId, status, twin, allocation, Etags.New(), current?.CreatedUtc ?? now, now)
            {
                EndorsementKey = endorsementKey,
            };
        }
        var certificate = AttestationMapping.ReadClientCertificate(wire.Attestation, current is { IsTpm: false } ? current.ClientCertificate : null);
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
        return new IndividualEnrollment(registrationId, certificate, deviceId, status, twin, allocation, Etags.New(), current?.CreatedUtc ?? now, now,
            Issuance.IssuancePolicyWire.Read(wire.ClientCertificateIssuancePolicy, issuers)); // cert-renewal
    }

    /// <summary>The enrollment as DPS shows it, with the device's registration state when there is one.</summary>
    public static IndividualEnrollmentWire ToWire(IndividualEnrollment enrollment, DeviceRegistrationState? registrationState, IReadOnlyList<HubDefinition> hubs)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return EnrollmentFields.Write(new IndividualEnrollmentWire
        {
            RegistrationId = enrollment.RegistrationId,
            DeviceId = enrollment.DeviceId,
            ClientCertificateIssuancePolicy = Issuance.IssuancePolicyWire.Write(enrollment.Issuance), // cert-renewal
            RegistrationState = registrationState,
            Attestation = enrollment.EndorsementKey is { } endorsementKey ? AttestationMapping.WriteTpm(endorsementKey) : AttestationMapping.WriteClient(enrollment.ClientCertificate),
        }, enrollment.Status, enrollment.InitialTwinJson, enrollment.Allocation, enrollment.Etag, enrollment.CreatedUtc, enrollment.UpdatedUtc, hubs);
    }
}
