using System.Text.Json;

namespace DeviceAgent.Provisioning.Client;

/// <summary>An assigned registration: where the device goes and as whom.</summary>
/// <param name="RegistrationId">The registration id.</param>
/// <param name="AssignedHub">The hub's host name (possibly with <c>:port</c>).</param>
/// <param name="DeviceId">The device id in that hub.</param>
/// <param name="Substatus">initialAssignment, deviceDataMigrated, ...</param>
/// <param name="OperationId">The operation that produced it.</param>
/// <param name="CreatedUtc">When the registration was first created.</param>
/// <param name="LastUpdatedUtc">When it last changed.</param>
/// <param name="Etag">The registration's etag.</param>
/// <param name="PayloadJson">The payload DPS returned (custom allocation), if any.</param>
public sealed record DpsRegistrationResult(
    string RegistrationId,
    string AssignedHub,
    string DeviceId,
    string? Substatus,
    string OperationId,
    DateTimeOffset? CreatedUtc,
    DateTimeOffset? LastUpdatedUtc,
    string? Etag,
    string? PayloadJson)
{
    /// <summary>cert-renewal: registrationState.issuedCertificateChain (base64 DER, leaf first) when the request carried a csr; unchecked.</summary>
    public IReadOnlyList<string>? IssuedCertificateChain { get; init; }

    /// <summary>The hub's host name without a port.</summary>
    public string HubHostName => SplitHub().Host;

    /// <summary>The hub's MQTT/TLS port: the one after <c>:</c> in <see cref="AssignedHub"/>, else 8883.</summary>
    public int HubPort => SplitHub().Port;

    private (string Host, int Port) SplitHub()
    {
        var colon = AssignedHub.LastIndexOf(':');
        return colon > 0 && int.TryParse(AssignedHub[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (AssignedHub[..colon], port)
            : (AssignedHub, 8883);
    }

    /// <summary>The payload as a JSON element, or null.</summary>
    public JsonElement? Payload => PayloadJson is null ? null : JsonDocument.Parse(PayloadJson).RootElement.Clone();
}
