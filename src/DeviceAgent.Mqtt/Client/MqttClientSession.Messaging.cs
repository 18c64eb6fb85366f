using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Client;

public sealed partial class MqttClientSession
{
    /// <summary>
    /// Publishes a message. QoS 0 completes once the message is queued on the connection; QoS 1
    /// on PUBACK, QoS 2 on PUBCOMP. An unacknowledged QoS 1/2 message survives a reconnect and
    /// is sent again with DUP set. <paramref name="payload"/> must stay unchanged until the
    /// returned task completes (it is not copied).
    /// </summary>
    /// <exception cref="MqttProtocolException">The topic is not a valid topic name (wildcards, empty, bad UTF-8); nothing was sent.</exception>
    /// <exception cref="MqttException">The session ended (connection lost without reconnection, or reconnection gave up).</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; a QoS 1/2 message may or may not have been delivered.</exception>
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce,
        bool retain = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        try
        {
            MqttPublishPacket.Measure(topic, payload.Length, qualityOfService, false, qualityOfService == MqttQualityOfService.AtMostOnce ? (ushort)0 : (ushort)1);
        }
        catch (MqttProtocolException e)
        {
            return ValueTask.FromException(e);
        }
        // The hot path: connected, room on the channel, nothing to cancel: no state machine at all.
        if (!cancellationToken.CanBeCanceled && !Volatile.Read(ref _disposing) && Volatile.Read(ref _connection) is { } connection)
        {
            if (qualityOfService == MqttQualityOfService.AtMostOnce)
            {
                if (TrySendNow(connection, topic, payload.Span, retain))
                    return connection.Channel.WaitForRoomAsync(cancellationToken);
            }
            else if (TryBeginNow(connection, null, topic, payload, qualityOfService, retain) is { } pending)
            {
                return connection.Channel.HasRoom ? new ValueTask(pending.Completion) : new ValueTask(AwaitAsync(pending, connection.Channel, cancellationToken));
            }
        }
        return PublishSlowAsync(topic, payload, qualityOfService, retain, cancellationToken);
    }

    private async ValueTask PublishSlowAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, bool retain, CancellationToken cancellationToken)
    {
        if (qualityOfService == MqttQualityOfService.AtMostOnce)
        {
            while (true)
            {
                var connection = await ConnectedAsync(cancellationToken);
                if (!TrySendNow(connection, topic, payload.Span, retain))
                    continue; // nothing was queued: the next connection takes it
                await connection.Channel.WaitForRoomAsync(cancellationToken);
                return;
            }
        }
        var (pending, channel) = await BeginAsync(null, topic, payload, qualityOfService, retain, cancellationToken);
        await AwaitAsync(pending, channel, cancellationToken);
    }

    /// <summary>QoS 0 on <paramref name="connection"/>; false if it broke and a reconnecting session should wait for the next one.</summary>
    private bool TrySendNow(Connection connection, string topic, ReadOnlySpan<byte> payload, bool retain)
    {
        try
        {
            connection.Channel.SendPublish(topic, payload, MqttQualityOfService.AtMostOnce, retain, false, 0);
            return true;
        }
        catch (MqttException e) when (e is not MqttProtocolException && _connect is not null)
        {
            return false;
        }
    }

    /// <summary>
    /// Subscribes to <paramref name="topicFilter"/>; matching messages go to <paramref name="handler"/>
    /// (a message matching several subscriptions goes to each handler once). The handler is
    /// registered before SUBSCRIBE is sent, so retained messages are not missed. Subscribing
    /// to the same filter again replaces the handler.
    /// </summary>
    /// <returns>The maximum QoS the server granted.</returns>
    /// <exception cref="MqttProtocolException">The filter is not valid (wildcard placement, empty, bad UTF-8), or the SUBACK is malformed.</exception>
    /// <exception cref="MqttException">The server refused the subscription (SUBACK 0x80), or the session ended.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<MqttQualityOfService> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService, MqttMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var request = new MqttSubscribePacket(1, [new MqttTopicFilter(topicFilter, qualityOfService)]);
        Packets.MqttPacket probe = request;
        Codec.MqttPacketWriter.GetEncodedLength(probe); // validates the filter and QoS before anything changes
        var subscription = new Subscription(topicFilter, qualityOfService, handler);
        lock (_lock)
        {
            _subscriptions.RemoveAll(s => s.Filter == topicFilter);
            _subscriptions.Add(subscription);
        }
        try
        {
            var ack = (MqttSubAckPacket)(await RequestAsync(id => new MqttSubscribePacket(id, request.Filters), cancellationToken))!;
            CheckSubAck(ack, 1);
            if (ack.ReturnCodes[0] == MqttSubscribeReturnCode.Failure)
                throw new MqttException($"the server refused the subscription to '{topicFilter}' (SUBACK 0x80)");
            return (MqttQualityOfService)ack.ReturnCodes[0];
        }
        catch
        {
            lock (_lock)
                _subscriptions.Remove(subscription);
            throw;
        }
    }

    /// <summary>Unsubscribes from <paramref name="topicFilter"/>; its handler gets no further messages.</summary>
    /// <exception cref="MqttProtocolException">The filter is not valid.</exception>
    /// <exception cref="MqttException">The session ended.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default)
    {
        Codec.MqttPacketWriter.GetEncodedLength(new MqttUnsubscribePacket(1, [topicFilter]));
        lock (_lock)
            _subscriptions.RemoveAll(s => s.Filter == topicFilter);
        await RequestAsync(id => new MqttUnsubscribePacket(id, [topicFilter]), cancellationToken);
    }

    private async Task<MqttPacket?> RequestAsync(Func<ushort, MqttPacket> build, CancellationToken cancellationToken)
    {
        var (pending, channel) = await BeginAsync(build, string.Empty, default, default, false, cancellationToken);
        return await AwaitAsync(pending, channel, cancellationToken);
    }

    private static void CheckSubAck(MqttSubAckPacket ack, int filters)
    {
        if (ack.ReturnCodes.Count != filters)
            throw new MqttProtocolException(MqttPacketType.SubAck, "return codes", $"{ack.ReturnCodes.Count} for {filters} topic filter(s)", "MQTT-3.9.3-1");
    }

    /// <summary>On the reader loop: QoS 2 answers PUBREC at once; delivery and PUBACK happen on the dispatcher.</summary>
    private async ValueTask OnPublishAsync(Connection connection, MqttPublishPacket publish, CancellationToken cancellationToken)
    {
        var deliver = true;
        if (publish.QualityOfService == MqttQualityOfService.ExactlyOnce)
        {
            deliver = _flow.OnExactlyOncePublish(publish.PacketId);
            await connection.Channel.SendAsync(new MqttPubRecPacket(publish.PacketId), cancellationToken);
        }
        if (!deliver)
            return;
        var message = new MqttApplicationMessage(publish.Topic, publish.Payload, publish.QualityOfService, publish.Retain);
        var pubAck = publish.QualityOfService == MqttQualityOfService.AtLeastOnce ? publish.PacketId : (ushort)0;
        await _inbox.Writer.WriteAsync(new Delivery(message, pubAck, connection), cancellationToken);
    }

    private async Task DispatchAsync()
    {
        s_inHandler.Value = true;
        var token = _lifetime.Token;
        await foreach (var delivery in _inbox.Reader.ReadAllAsync(CancellationToken.None))
        {
            MqttMessageHandler[] handlers;
            lock (_lock)
            {
                handlers = [.. _subscriptions.Where(s => MqttTopic.Matches(s.Filter, delivery.Message.Topic)).Select(s => s.Handler)];
            }
            if (handlers.Length == 0 && _options.MessageReceived is { } fallback)
                handlers = [fallback];
            try
            {
                foreach (var handler in handlers)
                    await handler(delivery.Message, token);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                End(new MqttException($"a message handler for '{delivery.Message.Topic}' failed: {e.Message}", e));
                await delivery.Connection.DisposeAsync();
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (delivery.PubAckId != 0)
            {
                try
                {
                    await delivery.Connection.Channel.SendAsync(new MqttPubAckPacket(delivery.PubAckId), token);
                }
                catch (Exception e) when (e is MqttException or OperationCanceledException)
                {
                    // That connection is gone; a persistent session gets the message again (DUP).
                }
            }
        }
    }
}
