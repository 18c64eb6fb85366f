using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeviceAgent.Provisioning.Wire;

// The JSON bodies of the DPS device protocol (api-version 2019-03-31), camelCase on the wire.

/// <summary>The register request body: <c>{"registrationId": "...", "payload": {...}}</c>.</summary>
internal sealed class DeviceRegistrationRequest
{
    public string? RegistrationId { get; set; }

    /// <summary>TPM attestation: the EK and SRK (HTTPS only).</summary>
    public TpmAttestation? Tpm { get; set; }

    /// <summary>The device's custom payload, handed to allocation and echoed in the registration state.</summary>
    public JsonElement? Payload { get; set; }

    /// <summary>cert-renewal: base64 of a DER PKCS#10 request whose CN is the registration id (DPS certificate issuance).</summary>
    public string? Csr { get; set; }
}

/// <summary>The status of a registration operation: the body of every successful response.</summary>
internal sealed class RegistrationOperationStatus
{
    public string? OperationId { get; set; }

    /// <summary>unassigned, assigning, assigned, failed or disabled.</summary>
    public string? Status { get; set; }

    public DeviceRegistrationState? RegistrationState { get; set; }
}

/// <summary>A device's registration record as DPS reports it.</summary>
internal sealed class DeviceRegistrationState
{
    public X509RegistrationResult? X509 { get; set; }

    /// <summary>TPM attestation: the hub's device key as an activation blob.</summary>
    public TpmRegistrationResult? Tpm { get; set; }

    public string? RegistrationId { get; set; }

    public DateTimeOffset? CreatedDateTimeUtc { get; set; }

    /// <summary>The hub's host name (<c>host:port</c> when the hub does not listen on 8883).</summary>
    public string? AssignedHub { get; set; }

    public string? DeviceId { get; set; }

    public string? Status { get; set; }

    /// <summary>initialAssignment, deviceDataMigrated, deviceDataReset, reprovisionedToInitialAssignment.</summary>
    public string? Substatus { get; set; }

    public int? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTimeOffset? LastUpdatedDateTimeUtc { get; set; }

    public string? Etag { get; set; }

    public JsonElement? Payload { get; set; }

    /// <summary>cert-renewal: the leaf issued for the request's csr, then its issuers (base64 DER, leaf first).</summary>
    public List<string>? IssuedCertificateChain { get; set; }
}

/// <summary>Which enrollment an X.509 registration went through.</summary>
internal sealed class X509RegistrationResult
{
    public string? EnrollmentGroupId { get; set; }

    public X509CertificateInfo? CertificateInfo { get; set; }
}

/// <summary>The certificate a registration used.</summary>
internal sealed class X509CertificateInfo
{
    public string? SubjectName { get; set; }

    public string? Sha1Thumbprint { get; set; }

    public string? Sha256Thumbprint { get; set; }

    public string? IssuerName { get; set; }

    public DateTimeOffset? NotBeforeUtc { get; set; }

    public DateTimeOffset? NotAfterUtc { get; set; }
}

/// <summary>
/// The body of an error response. <c>errorCode</c> is the extended code: code / 1000 is the HTTP
/// status (401002 -> 401).
/// </summary>
internal sealed class ProvisioningErrorDetails
{
    public int ErrorCode { get; set; }

    public string? TrackingId { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? TimestampUtc { get; set; }
}

/// <summary>The registration statuses, as spelled on the wire.</summary>
internal static class RegistrationStatuses
{
    public const string Unassigned = "unassigned";
    public const string Assigning = "assigning";
    public const string Assigned = "assigned";
    public const string Failed = "failed";
    public const string Disabled = "disabled";
}

/// <summary>Source-generated serialisation of the DPS bodies.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(DeviceRegistrationRequest))]
[JsonSerializable(typeof(RegistrationOperationStatus))]
[JsonSerializable(typeof(ProvisioningErrorDetails))]
[JsonSerializable(typeof(TpmRegistrationChallenge))]
internal sealed partial class DpsJsonContext : JsonSerializerContext;
