using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Endpoint;

// The bodies of the DPS service API (2021-10-01), the endpoint's CA certificate resources and its
// hub registries, as far as bringup reads or writes them. Members bringup does not know are kept
// ([JsonExtensionData]) so that a read-modify-write sends back everything it read.

/// <summary>A CA certificate resource.</summary>
internal sealed class CertificateResource
{
    public string? Name { get; set; }

    public string? Etag { get; set; }

    public CertificateProperties? Properties { get; set; }
}

/// <summary>Its properties.</summary>
internal sealed class CertificateProperties
{
    public string? Subject { get; set; }

    public string? Thumbprint { get; set; }

    public bool IsVerified { get; set; }

    public DateTimeOffset? Expiry { get; set; }

    /// <summary>PEM or base64 DER.</summary>
    public string? Certificate { get; set; }

    public string? VerificationCode { get; set; }

    public DateTimeOffset? VerificationCodeExpiry { get; set; }
}

/// <summary><c>{"value": [...]}</c>.</summary>
internal sealed class CertificateList
{
    public List<CertificateResource> Value { get; set; } = [];
}

/// <summary>The verify body.</summary>
internal sealed class VerificationRequest
{
    public string? Certificate { get; set; }
}

/// <summary><c>{"type": "x509", "x509": {...}}</c>.</summary>
internal sealed class AttestationMechanism
{
    public string? Type { get; set; }

    public X509Attestation? X509 { get; set; }

    public TpmAttestation? Tpm { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>The TPM part: <c>{"endorsementKey": base64 TPM2B_PUBLIC}</c>.</summary>
internal sealed class TpmAttestation
{
    public string? EndorsementKey { get; set; }
}

/// <summary>The X.509 part.</summary>
internal sealed class X509Attestation
{
    public X509Certificates? ClientCertificates { get; set; }

    public X509Certificates? SigningCertificates { get; set; }

    public X509CaReferences? CaReferences { get; set; }
}

/// <summary>Primary certificate.</summary>
internal sealed class X509Certificates
{
    public X509CertificateWithInfo? Primary { get; set; }

    public X509CertificateWithInfo? Secondary { get; set; }
}

/// <summary>A certificate (requests) or its info (responses).</summary>
internal sealed class X509CertificateWithInfo
{
    public string? Certificate { get; set; }

    public X509CertificateInfo? Info { get; set; }
}

/// <summary>What the service shows of a certificate.</summary>
internal sealed class X509CertificateInfo
{
    public string? SubjectName { get; set; }

    public string? Sha1Thumbprint { get; set; }

    public string? IssuerName { get; set; }

    public DateTimeOffset? NotAfterUtc { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>Names of uploaded CA certificates.</summary>
internal sealed class X509CaReferences
{
    public string? Primary { get; set; }

    public string? Secondary { get; set; }
}

/// <summary>An enrollment group or an individual enrollment (the fields bringup uses; the rest round-trips).</summary>
internal sealed class EnrollmentResource
{
    public string? EnrollmentGroupId { get; set; }

    public string? RegistrationId { get; set; }

    public AttestationMechanism? Attestation { get; set; }

    public string? ProvisioningStatus { get; set; }

    public string? Etag { get; set; }

    public string? AllocationPolicy { get; set; }

    public List<string>? IotHubs { get; set; }

    public DateTimeOffset? CreatedDateTimeUtc { get; set; }

    public DateTimeOffset? LastUpdatedDateTimeUtc { get; set; }

    /// <summary>cert-renewal: the certificate issuance policy.</summary>
    public IssuancePolicy? ClientCertificateIssuancePolicy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }

    /// <summary>The certificate info of the entry's attestation (client certificate or signing certificate), or null.</summary>
    [JsonIgnore]
    public X509CertificateInfo? CertificateInfo =>
        (Attestation?.X509?.ClientCertificates ?? Attestation?.X509?.SigningCertificates)?.Primary?.Info;

    /// <summary>The CA reference of a group bound by name, or null.</summary>
    [JsonIgnore]
    public string? CaReference => Attestation?.X509?.CaReferences?.Primary;
}

/// <summary>cert-renewal: an entry's certificate issuance policy: the endpoint's issuer and the leaves' lifetime (e.g. 365d).</summary>
internal sealed class IssuancePolicy
{
    public string? IssuerName { get; set; }

    public string? CertificateValidity { get; set; }
}

/// <summary>A device's registration state.</summary>
internal sealed class RegistrationState
{
    public string? RegistrationId { get; set; }

    public string? DeviceId { get; set; }

    public string? AssignedHub { get; set; }

    public string? Status { get; set; }

    public int? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTimeOffset? LastUpdatedDateTimeUtc { get; set; }
}

/// <summary><c>{"query": "*"}</c>.</summary>
internal sealed class QuerySpecification
{
    public string Query { get; set; } = "*";
}

/// <summary>A hub of the endpoint (GET /hubs).</summary>
internal sealed class HubResource
{
    public string? Name { get; set; }

    public string? HostName { get; set; }

    public int Port { get; set; }

    public string? AssignedHub { get; set; }
}

/// <summary>A device of a hub's identity registry (the rest round-trips).</summary>
internal sealed class HubDeviceResource
{
    public string? DeviceId { get; set; }

    public string? Etag { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? StatusUpdatedTime { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>A telemetry message a device sent to a hub (the endpoint's local extension).</summary>
internal sealed class TelemetryResource
{
    public DateTimeOffset ReceivedUtc { get; set; }

    public Dictionary<string, string>? Properties { get; set; }

    /// <summary>The body, base64.</summary>
    public string? Body { get; set; }

    /// <summary>The body as text, when it is UTF-8.</summary>
    public string? Text { get; set; }
}

/// <summary>An error body: DPS style (<c>message</c>) or IoT Hub style (<c>Message</c>: <c>ErrorCode:Name;text</c>).</summary>
internal sealed class ServiceError
{
    public int? ErrorCode { get; set; }

    public string? Message { get; set; }

    [JsonPropertyName("Message")]
    public string? HubMessage { get; set; }
}

/// <summary>Source-generated serialisation of the service bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CertificateResource))]
[JsonSerializable(typeof(CertificateList))]
[JsonSerializable(typeof(VerificationRequest))]
[JsonSerializable(typeof(EnrollmentResource))]
[JsonSerializable(typeof(List<EnrollmentResource>))]
[JsonSerializable(typeof(List<RegistrationState>))]
[JsonSerializable(typeof(RegistrationState))]
[JsonSerializable(typeof(QuerySpecification))]
[JsonSerializable(typeof(List<HubResource>))]
[JsonSerializable(typeof(HubDeviceResource))]
[JsonSerializable(typeof(List<HubDeviceResource>))]
[JsonSerializable(typeof(List<TelemetryResource>))]
[JsonSerializable(typeof(ServiceError))]
internal sealed partial class ServiceJson : JsonSerializerContext;
