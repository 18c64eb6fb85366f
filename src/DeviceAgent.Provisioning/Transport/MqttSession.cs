using System.Buffers;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace DeviceAgent.Provisioning.Transport;

/// <summary>
/// One MQTT 3.1.1 connection of the device, on MQTTnet's client over a stream the caller opens
/// (mutual TLS in production): connect, subscribe, QoS 1 publish, keep-alive, clean disconnect.
/// It knows nothing about sockets or TLS. One connection per instance: after a loss the caller
/// opens a new session (DPS resumes its operation, the hub session is rebuilt). Thread-safe.
/// </summary>
public sealed class MqttSession : IAsyncDisposable
{
    // Telemetry and DPS requests are well under 1 KiB; MQTTnet's writer grows past it when needed.
    private const int WriterBufferSize = 2048;

    private readonly IMqttClient _client;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Func<string, ReadOnlyMemory<byte>, ValueTask>> _handlers = [];
    private int _disposed;

    private readonly TimeSpan _answerTimeout;

    private MqttSession(IMqttClient client, TimeSpan answerTimeout)
    {
        _client = client;
        _answerTimeout = answerTimeout;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Completes when the connection ends: normally after <see cref="DisposeAsync"/>, faulted when lost or closed by the server.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Opens a stream with <paramref name="connect"/> and connects over it.</summary>
    /// <exception cref="MqttConnectionRefusedException">The server refused the CONNECT.</exception>
    /// <exception cref="MqttCommunicationException">The connection failed or timed out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <remarks>Whatever <paramref name="connect"/> throws (TLS, sockets) propagates as it is.</remarks>
    public static async Task<MqttSession> ConnectAsync(Func<CancellationToken, ValueTask<Stream>> connect, MqttSessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(options);
        var client = new MqttClientFactory().CreateMqttClient();
        var session = new MqttSession(client, options.KeepAlive / 2);
        var provider = new TlsStreamProvider(connect);
        var clientOptions = new MqttClientOptionsBuilder()
            .WithEndPoint(TlsStreamProvider.Placeholder)
            .WithStreamProvider(provider)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId(options.ClientId)
            .WithCredentials(options.UserName, options.Password)
            .WithCleanSession()
            .WithKeepAlivePeriod(options.KeepAlive)
            // MQTTnet waits this long for every acknowledgement, the PINGRESP included: keep-alive
            // plus half of it is when a silent server is declared dead (as IoT Hub's SDKs do).
            .WithTimeout(options.KeepAlive / 2)
            // One write per packet: MQTTnet otherwise writes a PUBLISH's header and payload
            // separately, two TLS records and two syscalls each (see ./build.sh bench mqtt-throughput).
            .WithoutPacketFragmentation()
            .Build();
        clientOptions.WriterBufferSize = WriterBufferSize;
        try
        {
            using var connectDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectDeadline.CancelAfter(options.ConnectTimeout);
            MqttClientConnectResult result;
            try
            {
                result = await client.ConnectAsync(clientOptions, connectDeadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new MqttCommunicationTimedOutException();
            }
            catch (Exception) when (provider.Failure is { } failure)
            {
                // MQTTnet wraps what the stream provider threw; the caller's families (TLS, sockets) surface as they are.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                throw;
            }
            catch (MqttProtocolViolationException e)
            {
                // One family for transport faults: a server that breaks the protocol is one.
                throw new MqttCommunicationException($"the server broke the MQTT protocol: {e.Message}", e);
            }
            if (result.ResultCode != MqttClientConnectResultCode.Success)
                throw new MqttConnectionRefusedException(result.ResultCode);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Subscribes at QoS 1; <paramref name="handler"/> sees every message received from now on (before its PUBACK).</summary>
    /// <exception cref="MqttCommunicationException">The connection failed, or the server refused the subscription.</exception>
    public async Task SubscribeAsync(string topicFilter, Func<string, ReadOnlyMemory<byte>, ValueTask> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlers)
            _handlers.Add(handler);
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
                throw new MqttCommunicationException($"the server refused the subscription to '{topicFilter}' ({item.ResultCode}) [MQTT-3.9.3-1]");
        }
    }

    /// <summary>Publishes at QoS 1 and returns when the server's PUBACK arrived.</summary>
    /// <exception cref="MqttCommunicationException">The connection is lost, or no PUBACK came in time.</exception>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        };
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends DISCONNECT (bounded wait) and closes the stream; <see cref="Completion"/> then completes normally.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_client.IsConnected)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), limit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The connection is gone already; closing is all that is left.
            }
        }
        _client.Dispose();
        _completion.TrySetResult();
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (Volatile.Read(ref _disposed) != 0 || !e.ClientWasConnected)
            _completion.TrySetResult();
        else if (e.Exception is MqttCommunicationTimedOutException)
        {
            // MQTTnet drops the connection when an acknowledgement or PINGRESP is late; it says only "timed out".
            _completion.TrySetException(new MqttCommunicationException(
                $"the connection was lost: the server did not answer within {_answerTimeout.TotalSeconds:0.#} s (half the keep-alive): the link is silent (half-open, or the server stopped reading)", e.Exception));
        }
        else
            _completion.TrySetException(new MqttCommunicationException($"the connection was lost ({e.Reason}{(e.Exception is null ? "" : ": " + e.Exception.Message)})", e.Exception));
        return Task.CompletedTask;
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        Func<string, ReadOnlyMemory<byte>, ValueTask>[] handlers;
        lock (_handlers)
            handlers = [.. _handlers];
        var message = e.ApplicationMessage;
        var payload = message.Payload.ToArray(); // MQTTnet may reuse its buffer once the handler returns
        foreach (var handler in handlers)
            await handler(message.Topic, payload).ConfigureAwait(false);
    }
}
