using System.Text.Json;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;

namespace ProvisioningEndpoint.Rest.Enrollments;

/// <summary>The fields individual enrollments and enrollment groups share: ids, status, initial twin, what is not served.</summary>
internal static class EnrollmentFields
{
    /// <summary>
    /// Checks a registration id or enrollment group id (DPS: up to 128 characters, letters,
    /// digits and <c>- . _ :</c>, ending with a letter, digit or <c>-</c>).
    /// </summary>
    /// <exception cref="RestException">400 naming <paramref name="field"/>.</exception>
    public static string CheckId(string? id, string field)
    {
        if (string.IsNullOrEmpty(id))
            throw RestException.BadField(field, "is required");
        if (id.Length > 128 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':') || !(char.IsAsciiLetterOrDigit(id[^1]) || id[^1] == '-'))
        {
            throw RestException.BadField(field,
                $"'{Shorten(id)}' is not a valid id: up to 128 letters, digits and '-', '.', '_', ':', ending with a letter, digit or '-'");
        }
        return id;
    }

    /// <summary>
    /// Checks an individual enrollment's registration id by DPS's rules (<see cref="DeviceAgent.Pki.Chains.Policy.DevicePolicy"/>):
    /// the device certificate's CN must equal it, so the X.509 limit of 64 characters applies.
    /// </summary>
    /// <exception cref="RestException">400004 naming the rule broken.</exception>
    public static string CheckRegistrationId(string registrationId)
    {
        if (DeviceAgent.Pki.Chains.Policy.DevicePolicy.JudgeRegistrationId(registrationId) is { } problem)
            throw RestException.BadField("registrationId", $"'{Shorten(registrationId)}' is refused: {problem}");
        return registrationId;
    }

    /// <summary>Checks that the body's id, when present, is the one of the path.</summary>
    /// <exception cref="RestException">400 naming <paramref name="field"/>.</exception>
    public static void CheckBodyId(string? bodyId, string pathId, string field)
    {
        if (bodyId is not null && !string.Equals(bodyId, pathId, StringComparison.Ordinal))
            throw RestException.BadField(field, $"is '{Shorten(bodyId)}', but the path names '{pathId}'");
    }

    /// <summary><c>provisioningStatus</c>: enabled (default) or disabled.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static ProvisioningStatus ReadStatus(string? value) => value?.ToLowerInvariant() switch
    {
        null or "enabled" => ProvisioningStatus.Enabled,
        "disabled" => ProvisioningStatus.Disabled,
        _ => throw RestException.BadField("provisioningStatus", $"is '{Shorten(value)}'; expected 'enabled' or 'disabled'"),
    };

    /// <summary>The wire spelling of a status.</summary>
    public static string WriteStatus(ProvisioningStatus status) => status == ProvisioningStatus.Enabled ? "enabled" : "disabled";

    /// <summary><c>initialTwin</c>: null, or <c>{"tags": {...}, "properties": {"desired": {...}}}</c>; returned as JSON text.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static string? ReadInitialTwin(JsonElement? twin)
    {
        if (twin is not { } element || element.ValueKind == JsonValueKind.Null)
            return null;
        if (element.ValueKind != JsonValueKind.Object)
            throw RestException.BadField("initialTwin", "must be an object: {\"tags\": {...}, \"properties\": {\"desired\": {...}}}");
        if (element.TryGetProperty("tags", out var tags) && tags.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            throw RestException.BadField("initialTwin.tags", "must be an object");
        if (element.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Null)
        {
            if (properties.ValueKind != JsonValueKind.Object)
                throw RestException.BadField("initialTwin.properties", "must be an object: {\"desired\": {...}}");
            if (properties.TryGetProperty("desired", out var desired) && desired.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                throw RestException.BadField("initialTwin.properties.desired", "must be an object");
        }
        return element.GetRawText();
    }

    /// <summary>The stored initial twin as a JSON element, or null.</summary>
    public static JsonElement? WriteInitialTwin(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Refuses what this endpoint does not serve: IoT Edge devices.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    private static void RefuseUnsupported(DeviceCapabilitiesWire? capabilities)
    {
        if (capabilities?.IotEdge == true)
            throw RestException.BadField("capabilities.iotEdge", "is true; this endpoint does not serve IoT Edge devices");
    }

    /// <summary>What DPS shows as the reprovision policy (this endpoint re-assigns and keeps device data).</summary>
    public static ReprovisionPolicyWire ReprovisionPolicy { get; } = new() { UpdateHubAssignment = true, MigrateDeviceData = true };

    /// <summary>What DPS shows as capabilities.</summary>
    public static DeviceCapabilitiesWire Capabilities { get; } = new() { IotEdge = false };

    /// <summary>The settings every entry has: status, initial twin, allocation (after refusing what is not served).</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static (ProvisioningStatus Status, string? InitialTwinJson, AllocationSettings Allocation) Read(EnrollmentEntryWire wire, IReadOnlyList<HubDefinition> hubs)
    {
        ArgumentNullException.ThrowIfNull(wire);
        RefuseUnsupported(wire.Capabilities);
        return (ReadStatus(wire.ProvisioningStatus), ReadInitialTwin(wire.InitialTwin),
            AllocationMapping.Read(wire.AllocationPolicy, wire.IotHubs, wire.IotHubHostName, hubs));
    }

    /// <summary>Fills the fields every entry shows.</summary>
    public static T Write<T>(T wire, ProvisioningStatus status, string? initialTwinJson, AllocationSettings allocation, string etag,
        DateTimeOffset created, DateTimeOffset updated, IReadOnlyList<HubDefinition> hubs) where T : EnrollmentEntryWire
    {
        ArgumentNullException.ThrowIfNull(wire);
        var (policy, iotHubs, hostName) = AllocationMapping.Write(allocation, hubs);
        wire.Capabilities = Capabilities;
        wire.IotHubHostName = hostName;
        wire.InitialTwin = WriteInitialTwin(initialTwinJson);
        wire.Etag = etag;
        wire.ProvisioningStatus = WriteStatus(status);
        wire.ReprovisionPolicy = ReprovisionPolicy;
        wire.CreatedDateTimeUtc = created;
        wire.LastUpdatedDateTimeUtc = updated;
        wire.AllocationPolicy = policy;
        wire.IotHubs = iotHubs;
        return wire;
    }

    /// <summary>A value for a message, at most 64 characters.</summary>
    public static string Shorten(string value) => value.Length <= 64 ? value : value[..61] + "...";
}
