using System.Collections.Concurrent;
using System.Globalization;

namespace DeviceAgent.Mqtt.Client;

/// <summary>
/// Topic-based RPC over a <see cref="MqttClientSession"/>: publish a request whose topic
/// carries a request id, await the response whose topic carries the same id. The id is found
/// in a response topic by a pluggable function, e.g. <see cref="QueryParameter"/>("$rid") for
/// DPS (<c>$dps/registrations/res/202/?$rid=42&amp;retry-after=3</c>). Thread-safe; any number
/// of requests may be outstanding, each with its own id.
/// </summary>
public sealed class MqttRequestResponse : IAsyncDisposable
{
    private readonly MqttClientSession _session;
    private readonly string _responseFilter;
    private readonly Func<string, string?> _correlate;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<MqttApplicationMessage>> _waiting = new(StringComparer.Ordinal);
    private long _nextId;
    private int _disposed;

    private MqttRequestResponse(MqttClientSession session, string responseFilter, Func<string, string?> correlate)
    {
        _session = session;
        _responseFilter = responseFilter;
        _correlate = correlate;
    }

    /// <summary>
    /// Subscribes (QoS 1) to <paramref name="responseTopicFilter"/> and returns the helper.
    /// Responses whose id matches no outstanding request are dropped.
    /// </summary>
    /// <param name="session">The session; it must outlive the helper.</param>
    /// <param name="responseTopicFilter">Where responses arrive, e.g. <c>$dps/registrations/res/#</c>.</param>
    /// <param name="correlationId">Extracts the request id from a response topic, or null if it carries none.</param>
    /// <param name="cancellationToken">Cancels the subscription.</param>
    /// <exception cref="MqttException">The subscription failed or was refused.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static async Task<MqttRequestResponse> StartAsync(MqttClientSession session, string responseTopicFilter, Func<string, string?> correlationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(correlationId);
        var rpc = new MqttRequestResponse(session, responseTopicFilter, correlationId);
        await session.SubscribeAsync(responseTopicFilter, MqttQualityOfService.AtLeastOnce, rpc.OnResponseAsync, cancellationToken);
        return rpc;
    }

    /// <summary>A fresh request id ("1", "2", ...), unique within this helper.</summary>
    public string NextRequestId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Publishes <paramref name="payload"/> to <paramref name="requestTopic"/> (which must carry
    /// <paramref name="requestId"/> in the form the server echoes) and awaits the response for
    /// <paramref name="requestId"/>.
    /// </summary>
    /// <returns>The response message.</returns>
    /// <exception cref="ArgumentException">A request with this id is already outstanding.</exception>
    /// <exception cref="TimeoutException">No response within <paramref name="timeout"/>.</exception>
    /// <exception cref="MqttException">The session ended or the publish failed.</exception>
    /// <exception cref="ObjectDisposedException">The helper or the session was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<MqttApplicationMessage> RequestAsync(string requestTopic, string requestId, ReadOnlyMemory<byte> payload, TimeSpan timeout,
        MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var response = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiting.TryAdd(requestId, response))
            throw new ArgumentException($"a request with id '{requestId}' is already outstanding", nameof(requestId));
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await _session.PublishAsync(requestTopic, payload, qualityOfService, false, deadline.Token);
                return await response.Task.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"no response to request '{requestId}' on '{requestTopic}' within {timeout.TotalSeconds:0.###} s");
            }
        }
        finally
        {
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource<MqttApplicationMessage>>(requestId, response));
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
            if (query < 0)
                return null;
            foreach (var pair in topic[(query + 1)..].Split('&'))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = equals < 0 ? pair : pair[..equals];
                if (string.Equals(key, name, StringComparison.Ordinal))
                    return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
            return null;
        };
    }

    /// <summary>Unsubscribes and fails outstanding requests with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        foreach (var waiter in _waiting.Values)
            waiter.TrySetException(new ObjectDisposedException(nameof(MqttRequestResponse)));
        try
        {
            await _session.UnsubscribeAsync(_responseFilter);
        }
        catch (Exception e) when (e is MqttException or ObjectDisposedException)
        {
            // The session is gone already: so is the subscription.
        }
    }

    private ValueTask OnResponseAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        string? id;
        try
        {
            id = _correlate(message.Topic);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException)
        {
            id = null; // not a response of ours
        }
        if (id is not null && _waiting.TryGetValue(id, out var waiter))
            waiter.TrySetResult(message);
        return ValueTask.CompletedTask;
    }
}
