using System.Text.Json;
using DeviceAgent.Provisioning.Wire;

namespace ProvisioningEndpoint.Rest.Wire;

// Individual enrollments and enrollment groups as the DPS service API (2021-10-01) spells them.

/// <summary>What individual enrollments and enrollment groups share.</summary>
internal abstract class EnrollmentEntryWire
{
    public AttestationMechanismWire? Attestation { get; set; }

    public DeviceCapabilitiesWire? Capabilities { get; set; }

    public string? IotHubHostName { get; set; }

    public JsonElement? InitialTwin { get; set; }

    public string? Etag { get; set; }

    public string? ProvisioningStatus { get; set; }

    public ReprovisionPolicyWire? ReprovisionPolicy { get; set; }

    public DateTimeOffset? CreatedDateTimeUtc { get; set; }

    public DateTimeOffset? LastUpdatedDateTimeUtc { get; set; }

    public string? AllocationPolicy { get; set; }

    public List<string>? IotHubs { get; set; }

    public JsonElement? CustomAllocationDefinition { get; set; }

    /// <summary>cert-renewal: the certificate issuance policy (see <see cref="Issuance.IssuancePolicyWire"/>).</summary>
    public Issuance.IssuancePolicyWire? ClientCertificateIssuancePolicy { get; set; }
}

/// <summary>An individual enrollment.</summary>
internal sealed class IndividualEnrollmentWire : EnrollmentEntryWire
{
    public string? RegistrationId { get; set; }

    public string? DeviceId { get; set; }

    /// <summary>The device's registration record (responses only; ignored in requests).</summary>
    public DeviceRegistrationState? RegistrationState { get; set; }
}

/// <summary>An enrollment group.</summary>
internal sealed class EnrollmentGroupWire : EnrollmentEntryWire
{
    public string? EnrollmentGroupId { get; set; }
}

/// <summary>What DPS does when a provisioned device registers again (this endpoint always re-assigns and keeps the device's data).</summary>
internal sealed class ReprovisionPolicyWire
{
    public bool? UpdateHubAssignment { get; set; }

    public bool? MigrateDeviceData { get; set; }
}

/// <summary>Device capabilities (IoT Edge is not served).</summary>
internal sealed class DeviceCapabilitiesWire
{
    public bool? IotEdge { get; set; }
}

/// <summary>The body of a query: <c>{"query": "*"}</c>.</summary>
internal sealed class QuerySpecificationWire
{
    public string? Query { get; set; }
}
