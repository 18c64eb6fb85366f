using System.Text.Json;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.Provisioning.Wire;
using MQTTnet.Exceptions;

namespace DeviceAgent.Provisioning.Client;

/// <summary>
/// The DPS device protocol over MQTT (as the real service speaks it): connect with the DPS user
/// name, subscribe to <c>$dps/registrations/res/#</c>, register, then poll the operation honouring
/// <c>retry-after</c> until it is assigned or refused. Throttling (429) waits as told; 5xx,
/// lost connections and lost responses are retried with exponential backoff and jitter, bounded,
/// resuming the same operation; everything within <see cref="DpsClientOptions.OverallTimeout"/>.
/// The client knows nothing about sockets or TLS: it runs an <see cref="MqttSession"/> (MQTTnet's
/// client) over the streams <see cref="_connect"/> opens (mutual TLS with the device's chain in production).
/// </summary>
public sealed class DpsClient
{
    private readonly Func<CancellationToken, ValueTask<Stream>> _connect;
    private readonly DpsClientOptions _options;
    private readonly RetryBackoff _backoff;

    /// <summary>Creates a client.</summary>
    /// <param name="connect">Opens a fresh stream to the DPS endpoint (called again after a connection loss).</param>
    /// <param name="options">Patience and timing.</param>
    public DpsClient(Func<CancellationToken, ValueTask<Stream>> connect, DpsClientOptions? options = null)
    {
        _connect = connect ?? throw new ArgumentNullException(nameof(connect));
        _options = options ?? new DpsClientOptions();
        _backoff = new RetryBackoff(_options.InitialBackoff, TimeSpan.FromMinutes(1), new Random());
    }

    /// <summary>Reports progress (connecting, registering, waiting, retrying) for logs and status lines.</summary>
    public event Action<string>? Progress;

    /// <summary>Registers the device (no certificate request) and returns its assignment.</summary>
    /// <exception cref="ProvisioningException">Refused, disabled, failed, or gave up.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public Task<DpsRegistrationResult> RegisterAsync(string idScope, string registrationId, JsonElement? payload, CancellationToken cancellationToken) =>
        RegisterAsync(idScope, registrationId, payload, null, cancellationToken);

    /// <summary>Registers the device and returns its assignment.</summary>
    /// <param name="idScope">The DPS instance's ID scope.</param>
    /// <param name="registrationId">The registration id (the leaf's CN).</param>
    /// <param name="payload">The device's custom payload, or null.</param>
    /// <param name="csr">cert-renewal: base64 DER PKCS#10 whose CN is the registration id, or null; DPS answers with
    /// <see cref="DpsRegistrationResult.IssuedCertificateChain"/>.</param>
    /// <exception cref="ProvisioningException">Refused, disabled, failed, or gave up; the message and
    /// <see cref="ProvisioningException.LikelyCause"/> say why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <param name="cancellationToken">Cancels the registration.</param>
    public async Task<DpsRegistrationResult> RegisterAsync(string idScope, string registrationId, JsonElement? payload, string? csr, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idScope);
        ArgumentException.ThrowIfNullOrEmpty(registrationId);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(_options.OverallTimeout);
        var body = JsonSerializer.SerializeToUtf8Bytes(new DeviceRegistrationRequest { RegistrationId = registrationId, Payload = payload, Csr = csr },
            DpsJsonContext.Default.DeviceRegistrationRequest);
        var state = new RegistrationAttempt(idScope, registrationId, body);
        var failures = 0;
        while (true)
        {
            TimeSpan delay;
            try
            {
                return await RunSessionAsync(state, overall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && overall.IsCancellationRequested)
            {
                throw TimedOut(state);
            }
            catch (Exception e) when (IsTransient(e) && failures < _options.MaximumRetries)
            {
                failures++;
                state.LastProblem = e.Message;
                delay = e is ProvisioningException { RetryAfter: { } wait } ? Bound(wait) : _backoff.Delay(failures);
                Progress?.Invoke($"transient failure ({e.Message}); retry {failures}/{_options.MaximumRetries} in {delay.TotalSeconds:0.#} s" +
                    (state.OperationId is null ? "" : $", resuming operation {state.OperationId}"));
            }
            catch (Exception e) when (IsTransient(e))
            {
                throw e as ProvisioningException ?? new ProvisioningException(
                    $"registration of '{registrationId}' failed after {failures} retries: {e.Message}",
                    likelyCause: "the DPS endpoint is unreachable or keeps failing", innerException: e);
            }
            try
            {
                await Task.Delay(delay, _options.TimeProvider, overall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && overall.IsCancellationRequested)
            {
                throw TimedOut(state);
            }
        }
    }

    private ProvisioningException TimedOut(RegistrationAttempt state) =>
        new($"registration of '{state.RegistrationId}' did not finish within {_options.OverallTimeout.TotalSeconds:0} s" +
            (state.LastProblem is null ? "" : $"; last problem: {state.LastProblem}"),
            likelyCause: "DPS or the network is slow or unreachable; the agent will try again later");

    /// <summary>
    /// Connects with the DPS user name and disconnects, without registering: proves the endpoint,
    /// TLS trust in both directions and the ID scope (a diagnostic).
    /// </summary>
    /// <exception cref="ProvisioningException">DPS refused the connection (not transient).</exception>
    /// <exception cref="MqttCommunicationException">The connection failed.</exception>
    public async Task CheckConnectionAsync(string idScope, string registrationId, CancellationToken cancellationToken)
    {
        var options = SessionOptions(idScope, registrationId) with { ConnectTimeout = _options.ResponseTimeout };
        try
        {
            await using var session = await MqttSession.ConnectAsync(_connect, options, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectionRefusedException e)
        {
            throw Refused(e);
        }
    }

    private async Task<DpsRegistrationResult> RunSessionAsync(RegistrationAttempt state, CancellationToken cancellationToken)
    {
        Progress?.Invoke("connecting to DPS");
        MqttSession session;
        try
        {
            session = await MqttSession.ConnectAsync(_connect, SessionOptions(state.IdScope, state.RegistrationId), cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectionRefusedException e) when (!e.IsTransient)
        {
            throw Refused(e);
        }
        await using (session.ConfigureAwait(false))
        {
            var rpc = await MqttRequestResponse.StartAsync(session, DpsTopics.ResponseFilter, MqttRequestResponse.QueryParameter("$rid"), cancellationToken).ConfigureAwait(false);
            return await ExchangeAsync(state, rpc, cancellationToken).ConfigureAwait(false);
        }
    }

    private MqttSessionOptions SessionOptions(string idScope, string registrationId) => new()
    {
        ClientId = registrationId,
        UserName = new DpsUserName(idScope, registrationId, _options.ApiVersion, null).Format(),
        KeepAlive = _options.KeepAlive,
    };

    private static ProvisioningException Refused(MqttConnectionRefusedException e) =>
        new($"DPS refused the MQTT connection: {e.Message}",
            likelyCause: "check provisioning.idScope and that the registration id is the certificate's CN", innerException: e, transient: false);

    private async Task<DpsRegistrationResult> ExchangeAsync(RegistrationAttempt state, MqttRequestResponse rpc, CancellationToken cancellationToken)
    {
        while (true)
        {
            var requestId = rpc.NextRequestId();
            var (topic, payload) = state.OperationId is null
                ? (DpsTopics.Register(requestId), (ReadOnlyMemory<byte>)state.Body)
                : (DpsTopics.OperationStatus(requestId, state.OperationId), " "u8.ToArray());
            Progress?.Invoke(state.OperationId is null ? $"registering '{state.RegistrationId}'" : $"polling operation {state.OperationId}");
            var response = await rpc.RequestAsync(topic, requestId, payload, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
            if (!DpsTopics.TryParseResponse(response.Topic, out var status, out _, out var retryAfter))
                throw new ProvisioningException($"DPS answered on an unexpected topic '{response.Topic}'");

            var wait = await InterpretAsync(state, status, response.Payload, retryAfter).ConfigureAwait(false);
            if (state.Result is { } result)
                return result;
            Progress?.Invoke($"waiting {wait.TotalSeconds:0.#} s (DPS status {status}{(retryAfter is null ? "" : $", retry-after {retryAfter.Value.TotalSeconds:0.#} s")})");
            await Task.Delay(wait, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    // Interprets one response: sets state.Result when assigned, returns the wait before the next
    // request, or throws ProvisioningException.
    private ValueTask<TimeSpan> InterpretAsync(RegistrationAttempt state, int status, ReadOnlyMemory<byte> body, TimeSpan? retryAfter)
    {
        if (status is 200 or 202)
        {
            RegistrationOperationStatus? operation;
            try
            {
                operation = JsonSerializer.Deserialize(body.Span, DpsJsonContext.Default.RegistrationOperationStatus);
            }
            catch (JsonException e)
            {
                throw new ProvisioningException($"DPS answered {status} with a body that is not a registration status: {e.Message}", status);
            }
            state.OperationId = operation?.OperationId ?? state.OperationId;
            switch (operation?.Status?.ToLowerInvariant())
            {
                case RegistrationStatuses.Assigned:
                    state.Result = ToResult(state, operation);
                    return ValueTask.FromResult(TimeSpan.Zero);
                case RegistrationStatuses.Assigning or RegistrationStatuses.Unassigned or "registering":
                    if (state.OperationId is null)
                        throw new ProvisioningException($"DPS answered {status} '{operation.Status}' without an operation id", status);
                    return ValueTask.FromResult(Bound(retryAfter ?? _options.DefaultPollInterval));
                case RegistrationStatuses.Disabled:
                    throw new ProvisioningException(
                        $"DPS reports registration '{state.RegistrationId}' disabled: {operation.RegistrationState?.ErrorMessage ?? "the deciding enrollment is disabled"}",
                        status, operation.RegistrationState?.ErrorCode, RegistrationStatuses.Disabled,
                        likelyCause: "the first enrollment entry found for this device (its individual enrollment, or the group of its nearest CA) is disabled");
                case RegistrationStatuses.Failed:
                    throw new ProvisioningException(
                        $"DPS reports registration '{state.RegistrationId}' failed: {operation.RegistrationState?.ErrorMessage ?? "no reason given"}",
                        status, operation.RegistrationState?.ErrorCode, RegistrationStatuses.Failed,
                        likelyCause: "allocation failed in DPS (no hub available, custom allocation error)");
                default:
                    throw new ProvisioningException($"DPS answered status '{operation?.Status}', which this agent does not know", status);
            }
        }

        var error = TryReadError(body);
        var message = error?.Message ?? "no error details";
        if (status == 429)
        {
            throw new ProvisioningException($"DPS throttled the device (429): {message}", status, error?.ErrorCode, retryAfter: retryAfter ?? _options.DefaultPollInterval,
                likelyCause: "too many requests from this device or the service; waiting as DPS asks");
        }
        if (status >= 500)
            throw new ProvisioningException($"DPS failed ({status}): {message}", status, error?.ErrorCode, retryAfter: retryAfter);
        throw new ProvisioningException($"DPS refused the registration of '{state.RegistrationId}' ({status}, error {error?.ErrorCode}): {message}",
            status, error?.ErrorCode, likelyCause: Explain(status));
    }

    private static string? Explain(int status) => status switch
    {
        401 => "the device did not authenticate: the chain bundle may lack its intermediates (DPS cannot reach a verified CA), " +
            "the CA certificate may not be verified in DPS, no enrollment may match the device, or the certificate's CN is not the registration id",
        403 => "the device is not allowed: its enrollment may be disabled",
        404 => "DPS does not know the ID scope, the registration or the operation: check provisioning.idScope",
        400 => "the request was malformed: check provisioning.registrationId and the payload",
        _ => null,
    };

    private static ProvisioningErrorDetails? TryReadError(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body.Span, DpsJsonContext.Default.ProvisioningErrorDetails);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DpsRegistrationResult ToResult(RegistrationAttempt state, RegistrationOperationStatus operation)
    {
        var registration = operation.RegistrationState;
        if (registration?.AssignedHub is not { Length: > 0 } hub || registration.DeviceId is not { Length: > 0 } deviceId)
            throw new ProvisioningException("DPS reports the registration assigned but names no hub or device id", 200);
        return new DpsRegistrationResult(registration.RegistrationId ?? state.RegistrationId, hub, deviceId, registration.Substatus,
            operation.OperationId ?? state.OperationId ?? "", registration.CreatedDateTimeUtc, registration.LastUpdatedDateTimeUtc, registration.Etag,
            registration.Payload is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } p ? p.GetRawText() : null)
        {
            IssuedCertificateChain = registration.IssuedCertificateChain,
        };
    }

    private TimeSpan Bound(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaximumRetryAfter ? _options.MaximumRetryAfter : wait;

    private static bool IsTransient(Exception e) => e switch
    {
        ProvisioningException p => p.IsTransient && p.RegistrationStatus is null,
        MqttConnectionRefusedException refused => refused.IsTransient,
        MqttCommunicationException or TimeoutException or IOException or System.Net.Sockets.SocketException or TlsConnectionException => true,
        _ => false,
    };

    private sealed class RegistrationAttempt(string idScope, string registrationId, byte[] body)
    {
        public string IdScope { get; } = idScope;

        public string RegistrationId { get; } = registrationId;

        public byte[] Body { get; } = body;

        public string? OperationId { get; set; }

        public DpsRegistrationResult? Result { get; set; }

        public string? LastProblem { get; set; }
    }
}
