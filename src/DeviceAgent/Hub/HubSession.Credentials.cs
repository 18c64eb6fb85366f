using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.Renewal;
using MQTTnet.Exceptions;

namespace DeviceAgent.Hub;

// cert-renewal: the hub's certificate issuance over this connection (DPS certificate management):
// $iothub/credentials/POST/issueCertificate/?$rid={rid} with {"id", "csr", "replace"}, answered on
// $iothub/credentials/res/202/?$rid={rid} (accepted) and then $iothub/credentials/res/200/?$rid={rid}
// with {"certificates": [base64 DER, leaf first]}, or an error status with {"errorCode", "message"}.
public sealed partial class HubSession
{
    private const string CredentialsResponsePrefix = "$iothub/credentials/res/";
    private static readonly Func<string, string?> s_requestId = MqttRequestResponse.QueryParameter("$rid");
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(int Status, byte[] Body)>> _issuing = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _credentialsSubscription = new(1, 1);
    private bool _credentialsSubscribed;
    private long _nextIssueRequest;

    /// <summary>Asks the hub to issue a certificate for <paramref name="csr"/>; returns the chain (base64 DER, leaf first), unchecked.</summary>
    /// <param name="csr">Base64 DER PKCS#10 whose CN is the registration id.</param>
    /// <param name="timeout">How long to wait for the final answer (after the 202).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="RenewalException">The hub refused the request (its status, error code and message).</exception>
    /// <exception cref="TimeoutException">No final answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="MqttCommunicationException">The connection ended or the publish failed.</exception>
    public async Task<IReadOnlyList<string>> IssueCertificateAsync(string csr, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(csr);
        await SubscribeToCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var requestId = "issue-" + Interlocked.Increment(ref _nextIssueRequest).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<(int Status, byte[] Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _issuing[requestId] = answer;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await _session.PublishAsync($"$iothub/credentials/POST/issueCertificate/?$rid={requestId}", IssueRequestBody(csr), deadline.Token).ConfigureAwait(false);
                var finished = await Task.WhenAny(answer.Task, _session.Completion).WaitAsync(deadline.Token).ConfigureAwait(false);
                if (finished != answer.Task)
                    throw new MqttCommunicationException($"the connection to hub {Hub} ended before it answered issueCertificate");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"hub {Hub} did not answer issueCertificate within {timeout.TotalSeconds:0} s");
            }
            var (status, body) = await answer.Task.ConfigureAwait(false);
            return status == 200 ? ReadCertificates(body) : throw Refusal(status, body);
        }
        finally
        {
            _issuing.TryRemove(requestId, out _);
        }
    }

    private async Task SubscribeToCredentialsAsync(CancellationToken cancellationToken)
    {
        await _credentialsSubscription.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_credentialsSubscribed)
                return;
            await _session.SubscribeAsync(CredentialsResponsePrefix + "#", OnCredentialsResponseAsync, cancellationToken).ConfigureAwait(false);
            _credentialsSubscribed = true;
        }
        finally
        {
            _credentialsSubscription.Release();
        }
    }

    private ValueTask OnCredentialsResponseAsync(string topic, ReadOnlyMemory<byte> payload)
    {
        if (!topic.StartsWith(CredentialsResponsePrefix, StringComparison.Ordinal))
            return ValueTask.CompletedTask;
        var rest = topic.AsSpan(CredentialsResponsePrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !int.TryParse(rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            return ValueTask.CompletedTask;
        string? requestId;
        try
        {
            requestId = s_requestId(topic);
        }
        catch (FormatException)
        {
            return ValueTask.CompletedTask;
        }
        // 202: accepted, the certificate follows on 200 with the same $rid.
        if (status != 202 && requestId is not null && _issuing.TryGetValue(requestId, out var waiter))
            waiter.TrySetResult((status, payload.ToArray()));
        return ValueTask.CompletedTask;
    }

    private byte[] IssueRequestBody(string csr)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", DeviceId);
            writer.WriteString("csr", csr);
            writer.WriteBoolean("replace", true);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private List<string> ReadCertificates(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("certificates", out var array)
                && array.ValueKind == JsonValueKind.Array)
            {
                return [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
            }
        }
        catch (JsonException)
        {
        }
        throw new RenewalException($"hub {Hub} answered issueCertificate 200 without a certificates array");
    }

    private RenewalException Refusal(int status, byte[] body)
    {
        string? message = null;
        int? errorCode = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    message = m.GetString();
                if (root.TryGetProperty("errorCode", out var c) && c.TryGetInt32(out var code))
                    errorCode = code;
            }
        }
        catch (JsonException)
        {
        }
        return new RenewalException($"hub {Hub} refused issueCertificate ({status}{(errorCode is null ? "" : $", error {errorCode}")}): {message ?? "no reason given"}");
    }
}
