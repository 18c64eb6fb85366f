using System.Text;
using System.Text.Json;
using DeviceAgent.Provisioning.Wire;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// The hub's certificate issuance (DPS certificate management, over the device's hub connection):
/// <c>$iothub/credentials/POST/issueCertificate/?$rid={rid}</c> with <c>{"id", "csr", "replace"}</c>
/// is answered on <c>$iothub/credentials/res/202/?$rid={rid}</c> (accepted), then
/// <c>$iothub/credentials/res/200/?$rid={rid}</c> with <c>{"certificates": [base64 DER, leaf first]}</c>,
/// or an error status with <c>{"errorCode", "message"}</c>. The same policy as a registration with a
/// csr: the entry that provisioned the device names the issuer; the registration record and the
/// hub credentials move to the new leaf in one transaction, the presented leaf stays accepted until
/// the device connects with the new one. Transport-free: the hub listener publishes what it returns.
/// </summary>
public sealed partial class IssueCertificateHandler(IProvisioningStore store, DeviceCertificateIssuer issuer, TimeProvider clock,
    ILogger<IssueCertificateHandler> logger)
{
    private const string Request = "$iothub/credentials/POST/issueCertificate/";

    /// <summary>True for the issueCertificate request topic.</summary>
    public static bool Matches(string topic) => topic is not null && topic.StartsWith(Request, StringComparison.Ordinal);

    /// <summary>The response filter a device subscribes to.</summary>
    public const string ResponseFilter = "$iothub/credentials/res/#";

    /// <summary>Handles one request of a connected device; returns the responses (topic, body) to publish, in order.</summary>
    public async Task<IReadOnlyList<(string Topic, byte[] Body)>> HandleAsync(string hub, string deviceId, PresentedChain chain, string topic,
        ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var query = topic.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? QueryString.Parse(topic[(q + 1)..]) : new Dictionary<string, string>();
        query.TryGetValue("$rid", out var rid);
        try
        {
            var csr = ReadRequest(payload.Span, deviceId);
            var (device, record, policy) = await FindPolicyAsync(hub, deviceId, chain, cancellationToken).ConfigureAwait(false);
            var issued = issuer.Issue(chain.CommonName ?? deviceId, csr, policy);
            var now = clock.GetUtcNow();
            // One transaction: the hub accepts the new leaf and, until the device connects with it, the one it presented.
            await store.PutAssignmentAsync(
                device with { PrimaryThumbprint = issued.Thumbprint, SecondaryThumbprint = chain.Leaf.Thumbprint, Etag = Etags.New(), UpdatedUtc = now },
                record with { CertificateThumbprint = issued.Thumbprint, IssuedCertificateChain = string.Join(' ', issued.ToBase64()), Etag = Etags.New(), UpdatedUtc = now },
                cancellationToken).ConfigureAwait(false);
            using var body = new MemoryStream();
            using (var writer = new Utf8JsonWriter(body))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("certificates");
                foreach (var certificate in issued.ToBase64())
                    writer.WriteStringValue(certificate);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            return [(Response(202, rid), Encoding.UTF8.GetBytes("{}")), (Response(200, rid), body.ToArray())];
        }
        catch (IssuanceException e)
        {
            LogRefused(hub, deviceId, e.ErrorCode, e.Message);
            using var error = new MemoryStream();
            using (var writer = new Utf8JsonWriter(error))
            {
                writer.WriteStartObject();
                writer.WriteNumber("errorCode", e.ErrorCode);
                writer.WriteString("message", e.Message);
                writer.WriteEndObject();
            }
            return [(Response(e.ErrorCode / 1000, rid), error.ToArray())];
        }
    }

    private static string Response(int status, string? rid) => $"$iothub/credentials/res/{status}/?$rid={rid}";

    private static string ReadRequest(ReadOnlySpan<byte> payload, string deviceId)
    {
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("csr", out var csr) || csr.ValueKind != JsonValueKind.String)
                throw new IssuanceException(IssuanceErrorCodes.NotACertificationRequest, "the request body has no csr: send {\"id\": \"<device id>\", \"csr\": \"<base64 DER>\", \"replace\": true}");
            if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && !string.Equals(id.GetString(), deviceId, StringComparison.Ordinal))
                throw new IssuanceException(400004, $"the request's id '{id.GetString()}' is not the connection's device id '{deviceId}'");
            return csr.GetString()!;
        }
        catch (JsonException e)
        {
            throw new IssuanceException(400004, $"the request body is not JSON: {e.Message}", e);
        }
    }

    private async Task<(HubDevice Device, RegistrationRecord Record, CertificateIssuancePolicy Policy)> FindPolicyAsync(string hub, string deviceId,
        PresentedChain chain, CancellationToken cancellationToken)
    {
        var device = await store.GetHubDeviceAsync(hub, deviceId, cancellationToken).ConfigureAwait(false)
            ?? throw new IssuanceException(404001, $"device '{deviceId}' is not in the registry of hub '{hub}'");
        // X.509: the leaf's CN is the registration id; its record names the entry that provisioned the device here.
        var record = chain.CommonName is { } registrationId ? await store.GetRegistrationAsync(registrationId, cancellationToken).ConfigureAwait(false) : null;
        if (record is not { Status: RegistrationStatuses.Assigned } || record.AssignedHub != hub || record.DeviceId != deviceId)
        {
            throw new IssuanceException(IssuanceErrorCodes.NoIssuancePolicy,
                $"device '{deviceId}' was not provisioned to hub '{hub}' by the provisioning service, so no enrollment policy can issue for it; register with DPS instead");
        }
        var (policy, enabled, entry) = record.EnrollmentKind switch
        {
            EnrollmentKind.Group when await store.GetEnrollmentGroupAsync(record.EnrollmentId!, cancellationToken).ConfigureAwait(false) is { } group =>
                (group.Issuance, group.Status == ProvisioningStatus.Enabled, $"enrollment group '{group.EnrollmentGroupId}'"),
            EnrollmentKind.Individual when await store.GetIndividualEnrollmentAsync(record.EnrollmentId!, cancellationToken).ConfigureAwait(false) is { } individual =>
                (individual.Issuance, individual.Status == ProvisioningStatus.Enabled, $"individual enrollment '{individual.RegistrationId}'"),
            _ => ((CertificateIssuancePolicy?)null, false, "the entry that provisioned it (now deleted)"),
        };
        if (!enabled)
            throw new IssuanceException(401002, $"{entry} is disabled or gone: no certificate is issued");
        return (device, record, policy ?? throw new IssuanceException(IssuanceErrorCodes.NoIssuancePolicy, $"{entry} issues no certificates (it has no certificate issuance policy)"));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "hub {Hub}: issueCertificate of {DeviceId} refused ({ErrorCode}), {Reason}")]
    private partial void LogRefused(string hub, string deviceId, int errorCode, string reason);
}
