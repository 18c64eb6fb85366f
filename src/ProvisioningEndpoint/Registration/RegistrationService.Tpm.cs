using System.Text.Json;
using DeviceAgent.Provisioning.Wire;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Registration;

// TPM attestation (HTTPS only) and the HTTPS poll's proof of the device.
public sealed partial class RegistrationService
{
    // Individual enrollments only (DPS has no TPM groups): unknown registration id or EK, a SAS that
    // does not verify -> 401; no SAS -> 401 with the challenge; a disabled entry -> recorded as
    // disabled (after the device proved itself), as on the X.509 path.
    private async Task<DpsResponse> RegisterTpmAsync(string registrationId, DeviceRegistrationRequest request, DeviceCredentials credentials,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!credentials.Https)
            return DpsResponse.Error(DpsErrorCodes.BadRequest, "TPM attestation is served over HTTPS only, as DPS does; use the HTTPS device API", now);
        var endorsementKey = TpmAttestor.TryParse(request.Tpm!.EndorsementKey, "tpm.endorsementKey", out var endorsementKeyBytes, out var problem);
        var storageRootKey = endorsementKey is null ? null : TpmAttestor.TryParse(request.Tpm.StorageRootKey, "tpm.storageRootKey", out _, out problem);
        if (endorsementKey is null || storageRootKey is null)
            return DpsResponse.Error(DpsErrorCodes.BadRequest, problem!, now);

        var enrollment = await store.GetIndividualEnrollmentAsync(registrationId, cancellationToken).ConfigureAwait(false);
        if (enrollment is not { IsTpm: true })
            return Refuse(registrationId, $"no TPM individual enrollment for '{registrationId}'", now);
        if (TpmAttestor.TryParse(Convert.ToBase64String(enrollment.EndorsementKey!), "enrollment", out _, out _) is not { } enrolled || !enrolled.Equals(endorsementKey))
            return Refuse(registrationId, $"the endorsement key is not the one of individual enrollment '{registrationId}'", now);

        var attestation = await tpm.AttestAsync(registrationId, endorsementKey, endorsementKeyBytes, storageRootKey, credentials.Authorization, cancellationToken).ConfigureAwait(false);
        if (attestation.Challenge is { } challenge)
        {
            LogChallenged(registrationId);
            return new DpsResponse(401, JsonSerializer.SerializeToUtf8Bytes(
                new TpmRegistrationChallenge { AuthenticationKey = challenge, KeyName = DpsTpmNames.RegistrationKeyName }, DpsJsonContext.Default.TpmRegistrationChallenge), null)
            {
                Outcome = Observability.RegistrationOutcomes.Challenged,
            };
        }
        if (attestation.Problem is { } refused)
            return Refuse(registrationId, refused, now);

        var previous = await store.GetRegistrationAsync(registrationId, cancellationToken).ConfigureAwait(false);
        var payload = request.Payload is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } p ? p.GetRawText() : null;
        var record = new RegistrationRecord(registrationId, NewOperationId(), RegistrationStatuses.Assigning, null, null, null, null, null,
            EnrollmentKind.Individual, registrationId, payload, null, Etags.New(), previous?.CreatedUtc ?? now, now);
        if (enrollment.Status != ProvisioningStatus.Enabled)
        {
            var reason = $"individual enrollment '{registrationId}' is disabled";
            LogDisabled(registrationId, reason);
            record = record with { Status = RegistrationStatuses.Disabled, ErrorCode = DpsErrorCodes.Unauthorized, ErrorMessage = reason };
            await store.PutRegistrationAsync(record, cancellationToken).ConfigureAwait(false);
            return Accepted(record);
        }
        var hub = allocator.Allocate(registrationId, enrollment.Allocation, out var allocationProblem);
        if (hub is null)
        {
            record = record with { Status = RegistrationStatuses.Failed, ErrorCode = DpsErrorCodes.InternalError, ErrorMessage = allocationProblem };
            await store.PutRegistrationAsync(record, cancellationToken).ConfigureAwait(false);
            return Accepted(record);
        }
        var deviceId = enrollment.DeviceId ?? registrationId;
        var moved = previous is { Status: RegistrationStatuses.Assigned } && previous.AssignedHub != hub.Name;
        record = record with
        {
            Status = RegistrationStatuses.Assigned,
            Substatus = moved ? "deviceDataMigrated" : "initialAssignment",
            AssignedHub = hub.Name,
            DeviceId = deviceId,
        };
        await tpm.IssueHubKeyAsync(registrationId, hub.Name, deviceId, endorsementKey, storageRootKey, cancellationToken).ConfigureAwait(false);
        await hubRegistry.AssignAsync(hub.Name, deviceId, "", enrollment.InitialTwinJson, record, cancellationToken).ConfigureAwait(false);
        LogAssigned(registrationId, hub.Name, "provisioned through its TPM individual enrollment");
        return Accepted(record);
    }

    private DpsResponse Refuse(string registrationId, string reason, DateTimeOffset now)
    {
        LogRefused(registrationId, reason);
        return DpsResponse.Error(DpsErrorCodes.Unauthorized, reason, now);
    }

    // Null when the request proves the device of the record (its certificate, or its TPM
    // registration SAS); else why not.
    private async Task<string?> RefusePollAsync(RegistrationRecord record, DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        if (record.CertificateThumbprint is { Length: > 0 } thumbprint)
        {
            if (credentials.Chain is null)
                return $"registration '{record.RegistrationId}' is X.509-attested: present its device certificate";
            return string.Equals(credentials.Chain.Leaf.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"the presented certificate is not the one that registered '{record.RegistrationId}'";
        }
        return await tpm.RefuseAsync(record.RegistrationId, credentials.Authorization, null, cancellationToken).ConfigureAwait(false);
    }

    // registrationState.tpm.authenticationKey of an assigned TPM device.
    private async Task<string?> HubAuthenticationKeyAsync(RegistrationRecord record, CancellationToken cancellationToken) =>
        record.CertificateThumbprint is null && record.Status == RegistrationStatuses.Assigned
            ? (await store.GetTpmRegistrationAsync(record.RegistrationId, cancellationToken).ConfigureAwait(false))?.HubAuthenticationKey
            : null;

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "registration {RegistrationId}: TPM challenge issued")]
    private partial void LogChallenged(string registrationId);
}
