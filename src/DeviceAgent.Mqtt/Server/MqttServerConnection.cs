using System.Threading.Channels;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Transport;

namespace DeviceAgent.Mqtt.Server;

/// <summary>
/// The server side of one MQTT 3.1.1 connection, for a host that serves fixed topics (the
/// provisioning endpoint's DPS and hub topics), not a general broker. <see cref="AcceptAsync"/>
/// reads and validates CONNECT; the host decides with <see cref="SendConnAckAsync"/>; then
/// <see cref="ReceiveAsync"/> yields what the host must act on: PUBLISH (QoS 1 already answered
/// with PUBACK, QoS 2 with PUBREC and delivered once), SUBSCRIBE and UNSUBSCRIBE (the host
/// answers with SUBACK/UNSUBACK through <see cref="SendAsync"/>). PINGREQ, the acknowledgment
/// flows and the keep-alive timeout (1.5 times the client's keep-alive [MQTT-3.1.2-24]) are
/// handled here. Any protocol violation closes the connection (section 4.8).
/// </summary>
/// <remarks>Thread-safe for sending; <see cref="ReceiveAsync"/> is for one consumer at a time.</remarks>
public sealed class MqttServerConnection : IAsyncDisposable
{
    private readonly MqttChannel _channel;
    private readonly MqttServerOptions _options;
    private readonly MqttPacketFlow _flow = new();
    private readonly Channel<MqttPacket> _inbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;
    private int _state; // 0 awaiting CONNACK, 1 accepted, 2 closed

    private MqttServerConnection(MqttChannel channel, MqttConnectPacket connect, MqttServerOptions options)
    {
        _channel = channel;
        Connect = connect;
        _options = options;
        _inbox = Channel.CreateBounded<MqttPacket>(new BoundedChannelOptions(options.ReceiveQueueCapacity) { SingleWriter = true });
    }

    /// <summary>The client's CONNECT (client id, credentials, keep-alive, will).</summary>
    public MqttConnectPacket Connect { get; }

    /// <summary>The client identifier.</summary>
    public string ClientId => Connect.ClientId;

    /// <summary>Completes when the connection is closed: successfully after DISCONNECT or disposal, faulted with the reason otherwise.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Reads the client's CONNECT from <paramref name="stream"/>, which the connection owns from
    /// now on. A CONNECT the specification says to refuse with a code (protocol level other than 4
    /// [MQTT-3.1.2-2], empty client id without clean session [MQTT-3.1.3-8]) is answered with that
    /// CONNACK before closing; anything else malformed closes the connection at once.
    /// </summary>
    /// <exception cref="MqttProtocolException">The first packet is not a valid CONNECT [MQTT-3.1.0-1]; the stream was closed.</exception>
    /// <exception cref="MqttException">The client closed the connection or sent nothing within <see cref="MqttServerOptions.ConnectTimeout"/>; the stream was closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the stream was closed.</exception>
    public static async Task<MqttServerConnection> AcceptAsync(Stream stream, MqttServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new MqttServerOptions();
        var channel = new MqttChannel(stream, options.MaximumPacketSize, options.TimeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            var first = await channel.ReceiveAsync(timeout.Token);
            return first switch
            {
                MqttConnectPacket connect => new MqttServerConnection(channel, connect, options),
                null => throw new MqttException("the client closed the connection before CONNECT"),
                _ => throw new MqttProtocolException(first.Type, "packet type", "came before CONNECT", "MQTT-3.1.0-1"),
            };
        }
        catch (MqttProtocolException e) when (e.ConnectReturnCode is { } code)
        {
            await RefuseAsync(channel, code);
            throw;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await channel.DisposeAsync();
            throw new MqttException($"no CONNECT within {options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Answers CONNECT. <see cref="MqttConnectReturnCode.Accepted"/> starts the session; any other
    /// code is sent and the connection closed [MQTT-3.2.2-5].
    /// </summary>
    /// <exception cref="InvalidOperationException">CONNACK was sent already.</exception>
    /// <exception cref="MqttException">The connection is lost.</exception>
    public async Task SendConnAckAsync(MqttConnectReturnCode returnCode, bool sessionPresent = false, CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            throw new InvalidOperationException("CONNACK was sent already");
        if (returnCode != MqttConnectReturnCode.Accepted)
        {
            _state = 2;
            await RefuseAsync(_channel, returnCode);
            _inbox.Writer.TryComplete();
            _completion.TrySetResult();
            return;
        }
        await _channel.SendAsync(new MqttConnAckPacket(returnCode, sessionPresent), cancellationToken);
        _reader = Task.Run(ReadAsync, CancellationToken.None);
        _keepAlive = Task.Run(KeepAliveAsync, CancellationToken.None);
    }

    /// <summary>The next PUBLISH, SUBSCRIBE or UNSUBSCRIBE; null once the client sent DISCONNECT.</summary>
    /// <exception cref="MqttProtocolException">The client broke the protocol; the connection is closed.</exception>
    /// <exception cref="MqttException">The connection was lost or the keep-alive expired.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inbox.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            if (e.InnerException is MqttException reason)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(reason);
            if (e.InnerException is { } other)
                throw new MqttException("the MQTT connection failed: " + other.Message, other);
            return null;
        }
    }

    /// <summary>Sends a packet as it is (SUBACK, UNSUBACK, a QoS 0 PUBLISH, ...).</summary>
    /// <exception cref="MqttProtocolException">The packet breaks a rule; nothing was sent.</exception>
    /// <exception cref="MqttException">The connection is closed.</exception>
    public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return _channel.SendAsync(packet, cancellationToken);
    }

    /// <summary>Publishes to the client; QoS 1 completes on PUBACK, QoS 2 on PUBCOMP, QoS 0 once queued.</summary>
    /// <exception cref="MqttProtocolException">The topic is not a valid topic name; nothing was sent.</exception>
    /// <exception cref="MqttException">The connection is closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce,
        bool retain = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (qualityOfService == MqttQualityOfService.AtMostOnce)
        {
            await _channel.SendPublishAsync(topic, payload, qualityOfService, retain, false, 0, cancellationToken);
            return;
        }
        MqttPublishPacket.Measure(topic, payload.Length, qualityOfService, false, 1);
        var pending = _flow.BeginPublish(topic, payload, qualityOfService, retain);
        try
        {
            await _channel.SendPublishAsync(topic, payload, qualityOfService, retain, false, pending.PacketId, cancellationToken);
            await pending.Completion.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _flow.Abandon(pending, cancellationToken);
            throw;
        }
    }

    /// <summary>Closes the connection (without a packet: MQTT 3.1.1 servers have none to send).</summary>
    public async ValueTask DisposeAsync() => await CloseAsync(null);

    private async Task CloseAsync(Exception? reason)
    {
        if (Interlocked.Exchange(ref _state, 2) == 2 && reason is null)
        {
            await _completion.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }
        await _stop.CancelAsync();
        if (reason is null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _channel.CloseAsync(timeout.Token);
            }
            catch (Exception e) when (e is MqttException or OperationCanceledException)
            {
                // Nothing more to flush to a broken connection.
            }
        }
        await _channel.DisposeAsync();
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var failure = reason ?? new MqttException("the MQTT connection is closed");
        _flow.FailAll(failure);
        _inbox.Writer.TryComplete(reason);
        await _keepAlive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (reason is null)
            _completion.TrySetResult();
        else
            _completion.TrySetException(reason);
    }

    private async Task ReadAsync()
    {
        Exception? reason = null;
        try
        {
            while (true)
            {
                var packet = await _channel.ReceiveAsync(_stop.Token);
                switch (packet)
                {
                    case null:
                        throw new MqttException("the client closed the connection without DISCONNECT");
                    case MqttDisconnectPacket:
                        return; // [MQTT-3.14.4-3]: the will is discarded; the host sees the end of packets
                    case MqttPublishPacket publish:
                        await OnPublishAsync(publish);
                        break;
                    case MqttSubscribePacket or MqttUnsubscribePacket:
                        await _inbox.Writer.WriteAsync(packet, _stop.Token);
                        break;
                    case MqttPingReqPacket:
                        await _channel.SendAsync(MqttPingRespPacket.Instance, _stop.Token);
                        break;
                    case MqttIdentifierPacket and not MqttUnsubAckPacket:
                        if (_flow.OnAcknowledgment(packet) is { } answer)
                            await _channel.SendAsync(answer, _stop.Token);
                        break;
                    case MqttConnectPacket:
                        throw new MqttProtocolException(packet.Type, "packet type", "a second CONNECT", "MQTT-3.1.0-2");
                    default:
                        throw new MqttProtocolException(packet.Type, "packet type", "is not sent by a client", "MQTT-4.8.0-1");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            reason = e;
        }
        finally
        {
            if (!_stop.IsCancellationRequested)
                _ = Task.Run(() => CloseAsync(reason));
        }
    }

    private async ValueTask OnPublishAsync(MqttPublishPacket publish)
    {
        switch (publish.QualityOfService)
        {
            case MqttQualityOfService.AtMostOnce:
                await _inbox.Writer.WriteAsync(publish, _stop.Token);
                break;
            case MqttQualityOfService.AtLeastOnce:
                await _inbox.Writer.WriteAsync(publish, _stop.Token);
                await _channel.SendAsync(new MqttPubAckPacket(publish.PacketId), _stop.Token);
                break;
            default:
                if (_flow.OnExactlyOncePublish(publish.PacketId))
                    await _inbox.Writer.WriteAsync(publish, _stop.Token);
                await _channel.SendAsync(new MqttPubRecPacket(publish.PacketId), _stop.Token);
                break;
        }
    }

    private async Task KeepAliveAsync()
    {
        if (Connect.KeepAliveSeconds == 0)
            return;
        var time = _options.TimeProvider;
        var limit = TimeSpan.FromSeconds(Connect.KeepAliveSeconds * 1.5);
        try
        {
            while (true)
            {
                var silent = time.GetElapsedTime(_channel.LastReceived);
                if (silent >= limit)
                {
                    _ = Task.Run(() => CloseAsync(new MqttException(
                        $"no packet from client '{ClientId}' for {silent.TotalSeconds:0.#} s, 1.5 times its keep-alive of {Connect.KeepAliveSeconds} s [MQTT-3.1.2-24]")));
                    return;
                }
                await Task.Delay(limit - silent, time, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Closed.
        }
    }

    private static async Task RefuseAsync(MqttChannel channel, MqttConnectReturnCode code)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await channel.SendAsync(new MqttConnAckPacket(code), timeout.Token);
            await channel.CloseAsync(timeout.Token);
        }
        catch (Exception e) when (e is MqttException or OperationCanceledException)
        {
            await channel.DisposeAsync();
        }
    }
}
