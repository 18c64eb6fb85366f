using System.Collections.Concurrent;
using System.Globalization;

namespace DeviceAgent.Provisioning.Transport;

/// <summary>A response: the topic it arrived on and its payload.</summary>
/// <param name="Topic">The response topic (carries the request id and, for DPS, the status and retry-after).</param>
/// <param name="Payload">The body (a copy owned by the receiver).</param>
public sealed record MqttResponse(string Topic, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Topic-based request/response over an <see cref="MqttSession"/>: publish a request whose topic
/// carries a request id, await the response whose topic carries the same id (DPS echoes
/// <c>$rid</c>: <c>$dps/registrations/res/202/?$rid=42&amp;retry-after=3</c>). Responses for no
/// outstanding request are dropped. Thread-safe; any number of requests may be outstanding.
/// </summary>
public sealed class MqttRequestResponse
{
    private readonly MqttSession _session;
    private readonly Func<string, string?> _correlate;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<MqttResponse>> _waiting = new(StringComparer.Ordinal);
    private long _nextId;

    private MqttRequestResponse(MqttSession session, Func<string, string?> correlate)
    {
        _session = session;
        _correlate = correlate;
    }

    /// <summary>Subscribes (QoS 1) to <paramref name="responseTopicFilter"/> and returns the helper; it lives as long as the session.</summary>
    /// <exception cref="MQTTnet.Exceptions.MqttCommunicationException">The subscription failed or was refused.</exception>
    public static async Task<MqttRequestResponse> StartAsync(MqttSession session, string responseTopicFilter, Func<string, string?> correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(correlationId);
        var rpc = new MqttRequestResponse(session, correlationId);
        await session.SubscribeAsync(responseTopicFilter, rpc.OnResponseAsync, cancellationToken).ConfigureAwait(false);
        return rpc;
    }

    /// <summary>A fresh request id ("1", "2", ...), unique within this helper.</summary>
    public string NextRequestId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    /// <summary>Publishes the request (QoS 1) and awaits the response carrying <paramref name="requestId"/>.</summary>
    /// <exception cref="ArgumentException">A request with this id is already outstanding.</exception>
    /// <exception cref="TimeoutException">No response within <paramref name="timeout"/>.</exception>
    /// <exception cref="MQTTnet.Exceptions.MqttCommunicationException">The session ended or the publish failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<MqttResponse> RequestAsync(string requestTopic, string requestId, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        var response = new TaskCompletionSource<MqttResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiting.TryAdd(requestId, response))
            throw new ArgumentException($"a request with id '{requestId}' is already outstanding", nameof(requestId));
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await _session.PublishAsync(requestTopic, payload, deadline.Token).ConfigureAwait(false);
                // A lost connection ends the wait at once rather than at the timeout.
                var finished = await Task.WhenAny(response.Task, _session.Completion).WaitAsync(deadline.Token).ConfigureAwait(false);
                if (finished != response.Task)
                {
                    await _session.Completion.ConfigureAwait(false);
                    throw new MQTTnet.Exceptions.MqttCommunicationException($"the session ended before the response to request '{requestId}'");
                }
                return await response.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"no response to request '{requestId}' on '{requestTopic}' within {timeout.TotalSeconds:0.###} s");
            }
        }
        finally
        {
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource<MqttResponse>>(requestId, response));
        }
    }

    /// <summary>
    /// A correlation function that reads a query parameter of the topic: for
    /// <c>$dps/registrations/res/202/?$rid=42&amp;retry-after=3</c> and <c>"$rid"</c> it returns <c>"42"</c>.
    /// </summary>
    public static Func<string, string?> QueryParameter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return topic =>
        {
            var query = topic.IndexOf('?', StringComparison.Ordinal);
            return query < 0 ? null : Wire.QueryString.Parse(topic[(query + 1)..]).GetValueOrDefault(name);
        };
    }

    private ValueTask OnResponseAsync(string topic, ReadOnlyMemory<byte> payload)
    {
        string? id;
        try
        {
            id = _correlate(topic);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException)
        {
            id = null; // not a response of ours
        }
        if (id is not null && _waiting.TryGetValue(id, out var waiter))
            waiter.TrySetResult(new MqttResponse(topic, payload));
        return ValueTask.CompletedTask;
    }
}
