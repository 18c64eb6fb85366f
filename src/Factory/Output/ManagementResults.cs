using System.Text.Json.Serialization;

namespace Factory.Output;

// The JSON documents of the management commands (ca upload/verify/list, enrollment-group, enrollment,
// hub device). Field names are camelCase; scripts rely on them.

/// <summary>A CA certificate on the service.</summary>
internal sealed record ServiceCertificateResult(bool Ok, string Name, string Outcome, string? Subject, string? Thumbprint, bool Verified, DateTimeOffset? Expiry);

/// <summary>A CA certificate as listed, with the CA of the local store that has it.</summary>
internal sealed record ServiceCertificateItem(string Name, string? Subject, string? Thumbprint, bool Verified, DateTimeOffset? Expiry, string? LocalCa);

/// <summary>The CA certificates of the service.</summary>
internal sealed record ServiceCertificateListResult(bool Ok, IReadOnlyList<ServiceCertificateItem> Certificates);

/// <summary>The certificate an entry is bound to.</summary>
internal sealed record EntryCertificate(string? Subject, string? Thumbprint, string? Issuer, string? CaReference);

/// <summary>An individual enrollment or enrollment group after a command.</summary>
internal sealed record EntryResult(
    bool Ok, string Kind, string Id, string Outcome, string? Status, EntryCertificate? Certificate, string? AllocationPolicy,
    IReadOnlyList<string>? IotHubs, DateTimeOffset? Created, DateTimeOffset? Updated, IReadOnlyList<string> Warnings);

/// <summary>A device an enrollment group decided.</summary>
internal sealed record GroupDevice(string? RegistrationId, string? DeviceId, string? Status, string? AssignedHub, DateTimeOffset? LastUpdated, string? ErrorMessage);

/// <summary>The devices of a group.</summary>
internal sealed record GroupDevicesResult(bool Ok, string Id, IReadOnlyList<GroupDevice> Devices);

/// <summary>A device of a hub.</summary>
internal sealed record HubDeviceItem(string Hub, string? DeviceId, string? Status, DateTimeOffset? StatusUpdated);

/// <summary>Devices of the hubs.</summary>
internal sealed record HubDevicesResult(bool Ok, IReadOnlyList<HubDeviceItem> Devices);

/// <summary>A hub device after a command.</summary>
internal sealed record HubDeviceResult(bool Ok, string Hub, string DeviceId, string Outcome, string? Status, IReadOnlyList<string> Warnings);

/// <summary>A telemetry message of a hub device.</summary>
internal sealed record TelemetryItem(DateTimeOffset ReceivedUtc, IReadOnlyDictionary<string, string> Properties, string? Text, string? Body);

/// <summary>The newest telemetry of a hub device.</summary>
internal sealed record HubTelemetryResult(bool Ok, string Hub, string DeviceId, IReadOnlyList<TelemetryItem> Messages);

/// <summary>Source-generated JSON for the management commands' --json output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ServiceCertificateResult))]
[JsonSerializable(typeof(ServiceCertificateListResult))]
[JsonSerializable(typeof(EntryResult))]
[JsonSerializable(typeof(GroupDevicesResult))]
[JsonSerializable(typeof(HubDevicesResult))]
[JsonSerializable(typeof(HubDeviceResult))]
[JsonSerializable(typeof(HubTelemetryResult))]
internal sealed partial class ManagementJson : JsonSerializerContext;
