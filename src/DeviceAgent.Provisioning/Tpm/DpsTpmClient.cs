using System.Net.Http.Headers;
using System.Text.Json;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Wire;

namespace DeviceAgent.Provisioning.Tpm;

/// <summary>
/// DPS's TPM attestation over its HTTPS device API (DPS refuses TPM attestation over MQTT):
/// <c>PUT {idScope}/registrations/{registrationId}/register</c> with the EK and SRK; DPS answers 401
/// with its challenge (<c>authenticationKey</c>, <c>keyName: registration</c>), which the TPM
/// activates; the same PUT again with <c>Authorization: SharedAccessSignature sr={idScope}/registrations/{registrationId}&amp;skn=registration</c>
/// signed in the TPM, then <c>GET .../operations/{operationId}</c> with that token, honouring
/// <c>Retry-After</c>, until assigned. The hub key of <c>registrationState.tpm.authenticationKey</c>
/// is imported into the TPM the same way (it replaces the registration key). Throttling (429) waits as
/// told; 5xx and connection faults are retried with bounded exponential backoff; all within
/// <see cref="DpsClientOptions.OverallTimeout"/>. HTTP/1.1 runs over the streams <c>connect</c> opens
/// (TLS with no client certificate): the client knows nothing about sockets or TLS. Not thread-safe.
/// </summary>
public sealed class DpsTpmClient
{
    private const int SasValidityHours = 1;
    private readonly Uri _base;
    private readonly Func<CancellationToken, ValueTask<Stream>> _connect;
    private readonly DpsClientOptions _options;
    private readonly RetryBackoff _backoff;

    /// <summary>Creates a client for the endpoint <paramref name="host"/>:<paramref name="port"/> (the Host header).</summary>
    /// <param name="host">The DPS host name.</param>
    /// <param name="port">Its HTTPS port (443 for the real service).</param>
    /// <param name="connect">Opens a fresh TLS stream to it.</param>
    /// <param name="options">Patience and timing.</param>
    public DpsTpmClient(string host, int port, Func<CancellationToken, ValueTask<Stream>> connect, DpsClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        _connect = connect ?? throw new ArgumentNullException(nameof(connect));
        // The scheme is http because the stream connect opens is already TLS.
        _base = new UriBuilder(Uri.UriSchemeHttp, host, port).Uri;
        _options = options ?? new DpsClientOptions();
        _backoff = new RetryBackoff(_options.InitialBackoff, TimeSpan.FromMinutes(1), new Random());
    }

    /// <summary>Reports progress (registering, activating, waiting, retrying) for logs and status lines.</summary>
    public event Action<string>? Progress;

    /// <summary>Registers the TPM device and returns its assignment; on return the TPM holds the hub key.</summary>
    /// <exception cref="ProvisioningException">Refused, disabled, failed, the TPM refused the challenge, or gave up;
    /// the message and <see cref="ProvisioningException.LikelyCause"/> say why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<DpsRegistrationResult> RegisterAsync(string idScope, string registrationId, IDpsTpmDevice device, JsonElement? payload,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idScope);
        ArgumentException.ThrowIfNullOrEmpty(registrationId);
        ArgumentNullException.ThrowIfNull(device);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(_options.OverallTimeout);
        using var handler = new SocketsHttpHandler { ConnectCallback = async (_, ct) => await _connect(ct).ConfigureAwait(false) };
        using var http = new HttpClient(handler) { BaseAddress = _base, Timeout = _options.ResponseTimeout };
        try
        {
            return await RegisterAsync(http, idScope, registrationId, device, payload, overall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && overall.IsCancellationRequested)
        {
            throw new ProvisioningException($"registration of '{registrationId}' did not finish within {_options.OverallTimeout.TotalSeconds:0} s",
                likelyCause: "DPS or the network is slow or unreachable; the agent will try again later");
        }
    }

    private async Task<DpsRegistrationResult> RegisterAsync(HttpClient http, string idScope, string registrationId, IDpsTpmDevice device, JsonElement? payload,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new DeviceRegistrationRequest
        {
            RegistrationId = registrationId,
            Tpm = new TpmAttestation { EndorsementKey = Convert.ToBase64String(device.EndorsementKey), StorageRootKey = Convert.ToBase64String(device.StorageRootKey) },
            Payload = payload,
        }, DpsJsonContext.Default.DeviceRegistrationRequest);
        var registration = $"{Uri.EscapeDataString(idScope)}/registrations/{Uri.EscapeDataString(registrationId)}";

        Progress?.Invoke($"registering '{registrationId}' with the TPM's endorsement key");
        var challenge = await SendAsync(http, HttpMethod.Put, $"{registration}/register", body, null, cancellationToken).ConfigureAwait(false);
        var authenticationKey = ChallengeOf(challenge, registrationId);
        Progress?.Invoke("activating DPS's challenge in the TPM");
        device.ImportAuthenticationKey(authenticationKey);
        var sas = SasToken.Create(DpsTpmNames.RegistrationResource(idScope, registrationId), _options.TimeProvider.GetUtcNow().AddHours(SasValidityHours),
            DpsTpmNames.RegistrationKeyName, device.Sign);

        var response = await SendAsync(http, HttpMethod.Put, $"{registration}/register", body, sas, cancellationToken).ConfigureAwait(false);
        string? operationId = null;
        while (true)
        {
            var operation = Interpret(response, registrationId);
            operationId = operation.OperationId ?? operationId;
            if (string.Equals(operation.Status, RegistrationStatuses.Assigned, StringComparison.OrdinalIgnoreCase))
                return Assigned(operation, registrationId, operationId, device);
            if (operationId is null)
                throw new ProvisioningException($"DPS answered {response.Status} '{operation.Status}' without an operation id", response.Status);
            var wait = Bound(response.RetryAfter ?? _options.DefaultPollInterval);
            Progress?.Invoke($"waiting {wait.TotalSeconds:0.#} s (DPS status {response.Status}, {operation.Status})");
            await Task.Delay(wait, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            Progress?.Invoke($"polling operation {operationId}");
            response = await SendAsync(http, HttpMethod.Get, $"{registration}/operations/{Uri.EscapeDataString(operationId)}", null, sas, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] ChallengeOf(Response response, string registrationId)
    {
        if (response.Status == 401 && TryRead(response.Body, DpsJsonContext.Default.TpmRegistrationChallenge) is { AuthenticationKey: { Length: > 0 } key })
        {
            try
            {
                return Convert.FromBase64String(key);
            }
            catch (FormatException)
            {
                throw new ProvisioningException("DPS's TPM challenge is not base64", 401, transient: false);
            }
        }
        if (response.Status is 200 or 202)
            throw new ProvisioningException($"DPS answered {response.Status} to a TPM registration without a SAS token instead of challenging it", response.Status, transient: false);
        throw Refused(response, registrationId);
    }

    private static RegistrationOperationStatus Interpret(Response response, string registrationId)
    {
        if (response.Status is not (200 or 202))
            throw Refused(response, registrationId);
        var operation = TryRead(response.Body, DpsJsonContext.Default.RegistrationOperationStatus)
            ?? throw new ProvisioningException($"DPS answered {response.Status} with a body that is not a registration status", response.Status);
        var state = operation.RegistrationState;
        return operation.Status?.ToLowerInvariant() switch
        {
            RegistrationStatuses.Assigned or RegistrationStatuses.Assigning or RegistrationStatuses.Unassigned => operation,
            RegistrationStatuses.Disabled => throw new ProvisioningException(
                $"DPS reports registration '{registrationId}' disabled: {state?.ErrorMessage ?? "its individual enrollment is disabled"}",
                response.Status, state?.ErrorCode, RegistrationStatuses.Disabled, likelyCause: "the device's TPM individual enrollment is disabled"),
            RegistrationStatuses.Failed => throw new ProvisioningException(
                $"DPS reports registration '{registrationId}' failed: {state?.ErrorMessage ?? "no reason given"}",
                response.Status, state?.ErrorCode, RegistrationStatuses.Failed, likelyCause: "allocation failed in DPS (no hub available, custom allocation error)"),
            _ => throw new ProvisioningException($"DPS answered status '{operation.Status}', which this agent does not know", response.Status),
        };
    }

    private DpsRegistrationResult Assigned(RegistrationOperationStatus operation, string registrationId, string? operationId, IDpsTpmDevice device)
    {
        var state = operation.RegistrationState;
        if (state?.AssignedHub is not { Length: > 0 } hub || state.DeviceId is not { Length: > 0 } deviceId)
            throw new ProvisioningException("DPS reports the registration assigned but names no hub or device id", 200);
        if (state.Tpm?.AuthenticationKey is not { Length: > 0 } hubKey)
            throw new ProvisioningException("DPS assigned the TPM device but sent no hub key (registrationState.tpm.authenticationKey)", 200, transient: false);
        Progress?.Invoke($"assigned to {hub} as '{deviceId}'; importing the hub key into the TPM");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(hubKey);
        }
        catch (FormatException)
        {
            throw new ProvisioningException("DPS's hub key (registrationState.tpm.authenticationKey) is not base64", 200, transient: false);
        }
        device.ImportAuthenticationKey(blob);
        return new DpsRegistrationResult(state.RegistrationId ?? registrationId, hub, deviceId, state.Substatus, operation.OperationId ?? operationId ?? "",
            state.CreatedDateTimeUtc, state.LastUpdatedDateTimeUtc, state.Etag,
            state.Payload is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } p ? p.GetRawText() : null);
    }

    private static ProvisioningException Refused(Response response, string registrationId)
    {
        var error = TryRead(response.Body, DpsJsonContext.Default.ProvisioningErrorDetails);
        var message = error?.Message ?? "no error details";
        if (response.Status == 429 || response.Status >= 500)
            return new ProvisioningException($"DPS failed ({response.Status}): {message}", response.Status, error?.ErrorCode, retryAfter: response.RetryAfter);
        return new ProvisioningException($"DPS refused the TPM registration of '{registrationId}' ({response.Status}, error {error?.ErrorCode}): {message}",
            response.Status, error?.ErrorCode, likelyCause: response.Status switch
            {
                401 => "no TPM individual enrollment has this registration id with this TPM's endorsement key (compare 'deviceagent tpm info' with the enrollment), " +
                    "or the registration SAS did not verify",
                404 => "DPS does not know the ID scope or the operation: check provisioning.idScope",
                400 => "the request was malformed: check provisioning.registrationId and the payload",
                _ => null,
            });
    }

    // One request, retried while the failure is transient (429 as DPS asks, 5xx and connection faults with backoff).
    private async Task<Response> SendAsync(HttpClient http, HttpMethod method, string path, byte[]? body, string? authorization, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            TimeSpan delay;
            try
            {
                using var request = new HttpRequestMessage(method, $"{path}?api-version={Uri.EscapeDataString(_options.ApiVersion)}");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("deviceagent", "1"));
                if (authorization is not null)
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                if (body is not null)
                    request.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } };
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var result = new Response((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false),
                    response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - _options.TimeProvider.GetUtcNow() : null));
                if (!(result.Status == 429 || result.Status >= 500) || failures >= _options.MaximumRetries)
                    return result;
                delay = result.Status == 429 ? Bound(result.RetryAfter ?? _options.DefaultPollInterval) : result.RetryAfter is { } wait ? Bound(wait) : _backoff.Delay(failures + 1);
                Progress?.Invoke($"DPS answered {result.Status}; retry {failures + 1}/{_options.MaximumRetries} in {delay.TotalSeconds:0.#} s");
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                var reason = Innermost(e);
                if (failures >= _options.MaximumRetries)
                {
                    throw new ProvisioningException($"DPS's HTTPS endpoint {_base.Host}:{_base.Port} failed after {failures} retries: {reason}",
                        likelyCause: "the DPS endpoint is unreachable or keeps failing (provisioning.endpoint is its HTTPS host:port with TPM attestation)", innerException: e);
                }
                delay = _backoff.Delay(failures + 1);
                Progress?.Invoke($"transient failure ({reason}); retry {failures + 1}/{_options.MaximumRetries} in {delay.TotalSeconds:0.#} s");
            }
            await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient.Timeout
        HttpRequestException or IOException or TlsConnectionException or TimeoutException => true,
        _ => false,
    };

    private string Innermost(Exception e)
    {
        // HttpClient wraps what connect threw (the TLS connector's message says what failed).
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TlsConnectionException)
                return inner.Message;
        }
        return e is OperationCanceledException ? $"no response within {_options.ResponseTimeout.TotalSeconds:0} s" : e.Message;
    }

    private TimeSpan Bound(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaximumRetryAfter ? _options.MaximumRetryAfter : wait;

    private static T? TryRead<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Response(int Status, byte[] Body, TimeSpan? RetryAfter);
}
