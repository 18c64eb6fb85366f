using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Transport;

namespace DeviceAgent.Mqtt.Client;

public sealed partial class MqttClientSession
{
    /// <summary>
    /// CONNECT/CONNACK on a fresh stream, then the loops, then the subscriptions a lost session
    /// forgot, then (under the send lock, before any new operation can use the connection) the
    /// retransmissions in their original order [MQTT-4.6.0-1].
    /// </summary>
    private async Task EstablishAsync(Stream stream, CancellationToken cancellationToken)
    {
        var channel = new MqttChannel(stream, _options.MaximumPacketSize, _options.TimeProvider);
        Connection connection;
        bool sessionPresent;
        try
        {
            sessionPresent = await HandshakeAsync(channel, cancellationToken);
            connection = new Connection(this, channel);
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
        if (!sessionPresent)
            _flow.ResetReceiver();
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Lost);
        try
        {
            if (!sessionPresent)
                await SubscribeAgainAsync(connection, lost.Token);
            lock (_sendLock)
            {
                foreach (var pending in _flow.Snapshot())
                {
                    if (pending.Request is not null)
                        channel.Send(pending.Request);
                    else if (pending.Released)
                        channel.Send(new MqttPubRelPacket(pending.PacketId));
                    else
                        channel.SendPublish(pending.Topic, pending.Payload.Span, pending.QualityOfService, pending.Retain, duplicate: true, pending.PacketId);
                }
                lock (_lock)
                {
                    ObjectDisposedException.ThrowIf(_disposing, this);
                    if (connection.Lost.IsCancellationRequested)
                        throw new MqttException("the connection was lost while the session was being re-established");
                    SessionPresent = sessionPresent;
                    ConnectionCount++;
                    _establishedAt = _options.TimeProvider.GetTimestamp();
                    Volatile.Write(ref _connection, connection);
                    _connected.TrySetResult(connection);
                }
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> HandshakeAsync(MqttChannel channel, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        MqttPacket? reply;
        try
        {
            await channel.SendAsync(_options.ToPacket(), timeout.Token);
            reply = await channel.ReceiveAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MqttException($"no CONNACK within {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        return reply switch
        {
            null => throw new MqttException("the server closed the connection before CONNACK"),
            MqttConnAckPacket { ReturnCode: MqttConnectReturnCode.Accepted } ack => ack.SessionPresent,
            MqttConnAckPacket ack => throw new MqttConnectionRefusedException(ack.ReturnCode),
            _ => throw new MqttProtocolException(reply.Type, "packet type", "came before CONNACK", "MQTT-3.2.0-1"),
        };
    }

    private async Task SubscribeAgainAsync(Connection connection, CancellationToken cancellationToken)
    {
        MqttTopicFilter[] filters;
        lock (_lock)
            filters = [.. _subscriptions.Select(s => new MqttTopicFilter(s.Filter, s.QualityOfService))];
        if (filters.Length == 0)
            return;
        var pending = _flow.BeginRequest(id => new MqttSubscribePacket(id, filters));
        connection.Channel.Send(pending.Request!); // the new connection is not current yet: nothing else sends on it
        var ack = (MqttSubAckPacket?)await AwaitAsync(pending, null, cancellationToken);
        CheckSubAck(ack!, filters.Length);
    }

    /// <summary>
    /// The current connection broke: reconnect, or end the session. A connection that is not
    /// current yet is being established; <see cref="EstablishAsync"/> notices through its
    /// <see cref="Connection.Lost"/> token.
    /// </summary>
    private void OnConnectionLost(Connection connection, Exception reason)
    {
        lock (_lock)
        {
            if (_connection != connection)
                return;
            Volatile.Write(ref _connection, null);
            if (_disposing || _ended is not null)
                return;
            _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_connect is not null)
            {
                _reconnecting = Task.Run(() => ReconnectAsync(reason));
                return;
            }
        }
        End(reason);
    }

    private async Task ReconnectAsync(Exception reason)
    {
        var backoff = new MqttBackoff(_options.Reconnect, Random.Shared);
        var lastError = reason;
        var token = _lifetime.Token;
        // A connection that did not stay up for MaximumDelay does not reset the backoff: a server
        // that accepts and drops at once is retried ever more slowly, not every InitialDelay.
        var time = _options.TimeProvider;
        var step = time.GetElapsedTime(_establishedAt) < _options.Reconnect.MaximumDelay ? _backoffStep : 0;
        for (var attempt = 1; ; attempt++)
        {
            if (_options.Reconnect.MaximumAttempts is { } maximum && attempt > maximum)
            {
                End(new MqttException($"the connection was lost and {maximum} reconnection attempts failed; last: {lastError.Message}", lastError));
                return;
            }
            try
            {
                _backoffStep = ++step;
                await Task.Delay(backoff.Delay(step), time, token);
                var stream = await _connect!(token);
                await EstablishAsync(stream, token);
                return;
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                lastError = e;
            }
        }
    }

    /// <summary>One network connection of the session: its channel, reader loop and keep-alive loop.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private readonly MqttClientSession _session;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reader;
        private readonly Task _keepAlive;
        private int _lost;

        public Connection(MqttClientSession session, MqttChannel channel)
        {
            _session = session;
            Channel = channel;
            _reader = Task.Run(ReadAsync);
            _keepAlive = Task.Run(KeepAliveAsync);
        }

        public MqttChannel Channel { get; }

        /// <summary>Cancelled when the connection is lost or disposed.</summary>
        public CancellationToken Lost => _stop.Token;

        /// <summary>Closes the connection without reporting it lost (no reconnect).</summary>
        public async ValueTask DisposeAsync()
        {
            Interlocked.Exchange(ref _lost, 1);
            await _stop.CancelAsync();
            await Channel.DisposeAsync();
            await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _keepAlive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        private async Task LoseAsync(Exception reason)
        {
            if (Interlocked.Exchange(ref _lost, 1) != 0)
                return;
            await _stop.CancelAsync();
            _session.OnConnectionLost(this, reason);
            await Channel.DisposeAsync();
        }

        private async Task ReadAsync()
        {
            try
            {
                while (true)
                {
                    var packet = await Channel.ReceiveAsync(_stop.Token);
                    switch (packet)
                    {
                        case null:
                            throw new MqttException("the server closed the connection");
                        case MqttPublishPacket publish:
                            await _session.OnPublishAsync(this, publish, _stop.Token);
                            break;
                        case MqttPingRespPacket:
                            break;
                        case MqttIdentifierPacket or MqttSubAckPacket:
                            if (_session._flow.OnAcknowledgment(packet) is { } answer)
                                await Channel.SendAsync(answer, _stop.Token);
                            break;
                        default:
                            throw new MqttProtocolException(packet.Type, "packet type", "is not sent by a server", "MQTT-4.8.0-1");
                    }
                }
            }
            catch (Exception e)
            {
                await LoseAsync(e);
            }
        }

        /// <summary>
        /// PINGREQ when nothing was sent, or nothing received, for a keep-alive period
        /// [MQTT-3.1.2-23]; dead when nothing was received for 1.5 periods.
        /// </summary>
        private async Task KeepAliveAsync()
        {
            var period = TimeSpan.FromSeconds(Math.Clamp((int)_session._options.KeepAlive.TotalSeconds, 0, ushort.MaxValue));
            if (period == TimeSpan.Zero)
                return;
            var time = _session._options.TimeProvider;
            var deadline = period * 1.5;
            long lastPing = 0;
            try
            {
                while (true)
                {
                    var now = time.GetTimestamp();
                    var received = Channel.LastReceived;
                    var silent = time.GetElapsedTime(received, now);
                    if (silent >= deadline)
                    {
                        await LoseAsync(new MqttException($"no packet from the server for {silent.TotalSeconds:0.#} s (keep-alive {period.TotalSeconds:0} s): the connection is dead"));
                        return;
                    }
                    var pinged = lastPing > received;
                    var idle = time.GetElapsedTime(Channel.LastSent, now);
                    if (idle >= period || (silent >= period && !pinged))
                    {
                        lastPing = now;
                        await Channel.SendAsync(MqttPingReqPacket.Instance, _stop.Token);
                        continue;
                    }
                    var wait = Min(period - idle, deadline - silent);
                    if (!pinged)
                        wait = Min(wait, period - silent);
                    await Task.Delay(Max(wait, TimeSpan.FromMilliseconds(1)), time, _stop.Token);
                }
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                await LoseAsync(e);
            }
            catch (Exception)
            {
                // Stopped: the connection is being torn down already.
            }
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
