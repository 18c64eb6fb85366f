using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceAgent.Provisioning.Wire;

namespace ProvisioningEndpoint.Rest.Wire;

/// <summary>
/// Source-generated serialisation of the REST API's bodies: camelCase, nulls omitted, names read
/// case-insensitively, unknown members ignored (SDKs send back what they read).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(IndividualEnrollmentWire))]
[JsonSerializable(typeof(List<IndividualEnrollmentWire>))]
[JsonSerializable(typeof(EnrollmentGroupWire))]
[JsonSerializable(typeof(List<EnrollmentGroupWire>))]
[JsonSerializable(typeof(AttestationMechanismWire))]
[JsonSerializable(typeof(QuerySpecificationWire))]
[JsonSerializable(typeof(DeviceRegistrationState))]
[JsonSerializable(typeof(List<DeviceRegistrationState>))]
[JsonSerializable(typeof(CertificateResponseWire))]
[JsonSerializable(typeof(CertificateListWire))]
[JsonSerializable(typeof(VerificationCertificateWire))]
[JsonSerializable(typeof(HubDeviceWire))]
[JsonSerializable(typeof(List<HubDeviceWire>))]
[JsonSerializable(typeof(List<HubWire>))]
[JsonSerializable(typeof(List<TelemetryWire>))]
[JsonSerializable(typeof(HubErrorWire))]
[JsonSerializable(typeof(ProvisioningErrorDetails))]
internal sealed partial class RestJsonContext : JsonSerializerContext;

/// <summary>The serialisation the REST API uses.</summary>
internal static class RestJson
{
    /// <summary>
    /// <see cref="RestJsonContext"/>'s options with relaxed escaping, so that messages stay
    /// readable on the wire (quotes and '+' unescaped; the bodies are JSON, never HTML).
    /// </summary>
    public static RestJsonContext Context { get; } =
        new(new JsonSerializerOptions(RestJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
