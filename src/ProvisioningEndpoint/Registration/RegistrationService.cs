using System.Text.Json;
using DeviceAgent.Pki.Chains.Policy;
using DeviceAgent.Provisioning.Wire;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Registration;

/// <summary>Settings of the device protocol's behaviour.</summary>
/// <param name="RetryAfterSeconds">retry-after on 202 responses (DPS answers 3); 0 for tests and benchmarks.</param>
/// <param name="ThrottlePolls">Enforce DPS's 5 polls per 10 seconds per device.</param>
public sealed record RegistrationOptions(int RetryAfterSeconds = 3, bool ThrottlePolls = true);

/// <summary>
/// The DPS device protocol's two operations. Register: attest the chain, resolve the deciding
/// entry, allocate a hub and create the device there, record the outcome, answer 202 with an
/// operation id. Poll: answer the recorded outcome of that operation. Refusals leave a record of
/// why. Re-registering an assigned device is idempotent (same hub, same device).
/// </summary>
public sealed partial class RegistrationService(
    IProvisioningStore store,
    EnrollmentResolver resolver,
    HubAllocator allocator,
    HubRegistry hubRegistry,
    PollThrottle throttle,
    TpmAttestor tpm,
    RegistrationOptions options,
    TimeProvider clock,
    ILogger<RegistrationService> logger,
    Issuance.RegistrationCertificates certificates,
    Observability.EndpointMetrics metrics)
{
    /// <summary>Handles a register request from an authenticated TLS connection.</summary>
    /// <param name="registrationId">The registration id of the connection (from its MQTT user name).</param>
    /// <param name="chain">The certificates the device presented.</param>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public Task<DpsResponse> RegisterAsync(string registrationId, PresentedChain chain, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return RegisterAsync(registrationId, new DeviceCredentials(chain, null, Https: false), body, cancellationToken);
    }

    /// <summary>
    /// Handles a register request with what the device proved: its TLS chain (X.509), or, when the
    /// body carries <c>tpm</c>, the TPM flow (challenge, then SAS; HTTPS only). The outcome is
    /// decided (and recorded) before the 202 is answered, so the request's processing time, which
    /// <see cref="Observability.EndpointMetrics"/> records, is the time from the request to the terminal status.
    /// </summary>
    public async Task<DpsResponse> RegisterAsync(string registrationId, DeviceCredentials credentials, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var transport = credentials.Https ? "https" : "mqtt";
        var started = clock.GetTimestamp();
        DpsResponse response;
        try
        {
            response = await DecideAsync(registrationId, credentials, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.RegistrationDecided(transport, Observability.RegistrationOutcomes.Error, null, clock.GetElapsedTime(started));
            throw;
        }
        metrics.RegistrationDecided(transport, response.Outcome ?? Observability.RegistrationOutcomes.Refused, response.ErrorCode, clock.GetElapsedTime(started));
        return response;
    }

    private async Task<DpsResponse> DecideAsync(string registrationId, DeviceCredentials credentials, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        DeviceRegistrationRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body.Span, DpsJsonContext.Default.DeviceRegistrationRequest);
        }
        catch (JsonException e)
        {
            return DpsResponse.Error(DpsErrorCodes.BadRequest, $"the register request body is not JSON: {e.Message}", now);
        }
        if (request?.RegistrationId is null)
            return DpsResponse.Error(DpsErrorCodes.BadRequest, "the register request body has no registrationId", now);
        if (!string.Equals(request.RegistrationId, registrationId, StringComparison.Ordinal))
        {
            return DpsResponse.Error(DpsErrorCodes.BadRequest,
                $"the body's registrationId '{request.RegistrationId}' is not the connection's '{registrationId}'", now);
        }

        // DPS's registration id rules: an id DPS would refuse gets no record and no hub device.
        if (DevicePolicy.JudgeRegistrationId(registrationId) is { } idProblem)
        {
            LogRefused(registrationId, idProblem);
            return DpsResponse.Error(DevicePolicy.InvalidRequestErrorCode, $"registration id '{registrationId}' is refused: {idProblem}", now);
        }

        if (request.Tpm is not null)
            return await RegisterTpmAsync(registrationId, request, credentials, cancellationToken).ConfigureAwait(false);
        if (credentials.Chain is not { } chain)
        {
            return DpsResponse.Error(DpsErrorCodes.Unauthorized,
                "the device presented no client certificate and the body has no 'tpm' attestation; X.509 devices authenticate with their certificate chain in the TLS handshake", now);
        }

        var resolution = await resolver.ResolveAsync(registrationId, chain, cancellationToken).ConfigureAwait(false);
        var previous = await store.GetRegistrationAsync(registrationId, cancellationToken).ConfigureAwait(false);
        var payload = request.Payload is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } p ? p.GetRawText() : null;
        var record = new RegistrationRecord(registrationId, NewOperationId(), RegistrationStatuses.Assigning, null, null, null, null, null,
            resolution.Kind, resolution.EnrollmentId, payload, chain.Leaf.Thumbprint, Etags.New(), previous?.CreatedUtc ?? now, now);

        switch (resolution.Outcome)
        {
            case ResolutionOutcome.Refused:
                record = record with { Status = RegistrationStatuses.Failed, ErrorCode = DpsErrorCodes.Unauthorized, ErrorMessage = resolution.Reason };
                await store.PutRegistrationAsync(record, cancellationToken).ConfigureAwait(false);
                metrics.ChainRefused(resolution.RefusalReason ?? Attestation.ChainRefusalReasons.NoEnrollment);
                LogRefused(registrationId, resolution.Reason);
                return DpsResponse.Error(DpsErrorCodes.Unauthorized, resolution.Reason, now);

            case ResolutionOutcome.Disabled:
                record = record with { Status = RegistrationStatuses.Disabled, ErrorCode = DpsErrorCodes.Unauthorized, ErrorMessage = resolution.Reason };
                LogDisabled(registrationId, resolution.Reason);
                break;

            default:
                // cert-renewal: a csr under an issuance policy gets a new leaf, or a 400 and nothing is issued (Issuance/).
                if (certificates.IssueFor(registrationId, request.Csr, resolution, now, out var refusal) is { } issued)
                    record = record with { CertificateThumbprint = issued.Thumbprint, IssuedCertificateChain = string.Join(' ', issued.ToBase64()) };
                else if (refusal is not null)
                    return refusal;
                var hub = allocator.Allocate(registrationId, resolution.Allocation, out var problem);
                if (hub is null)
                {
                    record = record with { Status = RegistrationStatuses.Failed, ErrorCode = DpsErrorCodes.InternalError, ErrorMessage = problem };
                    break;
                }
                var moved = previous is { Status: RegistrationStatuses.Assigned } && previous.AssignedHub != hub.Name;
                record = record with
                {
                    Status = RegistrationStatuses.Assigned,
                    Substatus = moved ? "deviceDataMigrated" : "initialAssignment",
                    AssignedHub = hub.Name,
                    DeviceId = resolution.DeviceId,
                };
                await hubRegistry.AssignAsync(hub.Name, resolution.DeviceId!, record.CertificateThumbprint!, resolution.InitialTwinJson, record, cancellationToken,
                    record.IssuedCertificateChain is null ? null : chain.Leaf.Thumbprint).ConfigureAwait(false);
                LogAssigned(registrationId, hub.Name, resolution.Reason);
                return Accepted(record);
        }
        await store.PutRegistrationAsync(record, cancellationToken).ConfigureAwait(false);
        return Accepted(record);
    }

    private DpsResponse Accepted(RegistrationRecord record) =>
        DpsResponse.Operation(202, new RegistrationOperationStatus { OperationId = record.OperationId, Status = RegistrationStatuses.Assigning },
            options.RetryAfterSeconds) with
        {
            Outcome = record.Status switch
            {
                RegistrationStatuses.Assigned => Observability.RegistrationOutcomes.Assigned,
                RegistrationStatuses.Disabled => Observability.RegistrationOutcomes.Disabled,
                _ => Observability.RegistrationOutcomes.Failed,
            },
            ErrorCode = record.ErrorCode,
        };

    /// <summary>Handles an operation status request (MQTT: the connection already named the device).</summary>
    public Task<DpsResponse> PollAsync(string registrationId, string operationId, CancellationToken cancellationToken) =>
        PollAsync(registrationId, operationId, null, cancellationToken);

    /// <summary>
    /// Handles an operation status request over HTTPS, where each request proves the device anew:
    /// the certificate that registered, or the TPM device's registration SAS.
    /// </summary>
    public async Task<DpsResponse> PollAsync(string registrationId, string operationId, DeviceCredentials? credentials, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (options.ThrottlePolls && throttle.TryPoll(registrationId) is { } wait)
        {
            return DpsResponse.Error(DpsErrorCodes.Throttled,
                $"more than {throttle.Limit} operation status requests in {throttle.Window.TotalSeconds:0} seconds; retry after {wait} s", now, wait);
        }
        var record = await store.GetRegistrationByOperationAsync(operationId, cancellationToken).ConfigureAwait(false);
        if (record is null || !string.Equals(record.RegistrationId, registrationId, StringComparison.Ordinal))
            return DpsResponse.Error(DpsErrorCodes.OperationNotFound, $"operation '{operationId}' is not an operation of '{registrationId}'", now);
        if (credentials is not null && await RefusePollAsync(record, credentials, cancellationToken).ConfigureAwait(false) is { } refusal)
            return DpsResponse.Error(DpsErrorCodes.Unauthorized, refusal, now);
        return DpsResponse.Operation(200, new RegistrationOperationStatus
        {
            OperationId = record.OperationId,
            Status = record.Status,
            RegistrationState = RegistrationStates.ToWire(record, allocator.Hubs, await HubAuthenticationKeyAsync(record, cancellationToken).ConfigureAwait(false)),
        }, null);
    }

    // DPS operation ids look like "4.<16 hex>.<guid>"; devices treat them as opaque.
    private static string NewOperationId() => $"5.{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}.{Guid.NewGuid()}";

    [LoggerMessage(Level = LogLevel.Information, Message = "registration {RegistrationId}: assigned to hub {Hub}, {Reason}")]
    private partial void LogAssigned(string registrationId, string hub, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "registration {RegistrationId}: disabled, {Reason}")]
    private partial void LogDisabled(string registrationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "registration {RegistrationId}: refused, {Reason}")]
    private partial void LogRefused(string registrationId, string reason);
}
