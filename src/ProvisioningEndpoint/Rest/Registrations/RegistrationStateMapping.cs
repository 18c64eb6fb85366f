using System.Text.Json;
using DeviceAgent.Provisioning.Wire;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Rest.Registrations;

/// <summary>Registration records as DPS's service API shows them (device registration states).</summary>
internal static class RegistrationStateMapping
{
    /// <summary>The record as a device registration state; <c>assignedHub</c> as devices receive it.</summary>
    public static DeviceRegistrationState ToWire(RegistrationRecord record, IReadOnlyList<HubDefinition> hubs)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new DeviceRegistrationState
        {
            X509 = record.EnrollmentKind == EnrollmentKind.Group ? new X509RegistrationResult { EnrollmentGroupId = record.EnrollmentId } : null,
            RegistrationId = record.RegistrationId,
            CreatedDateTimeUtc = record.CreatedUtc,
            AssignedHub = record.AssignedHub is { } hub ? hubs.FirstOrDefault(h => h.Name == hub)?.AssignedHub ?? hub : null,
            DeviceId = record.DeviceId,
            Status = record.Status,
            Substatus = record.Substatus,
            ErrorCode = record.ErrorCode,
            ErrorMessage = record.ErrorMessage,
            LastUpdatedDateTimeUtc = record.UpdatedUtc,
            Etag = record.Etag,
            Payload = Payload(record.PayloadJson),
        };
    }

    private static JsonElement? Payload(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
