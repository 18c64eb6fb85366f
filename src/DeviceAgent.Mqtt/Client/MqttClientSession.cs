using System.Threading.Channels;
using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Transport;

namespace DeviceAgent.Mqtt.Client;

/// <summary>
/// An MQTT 3.1.1 client session over a <see cref="Stream"/> (TLS or not: the session does not
/// know). Publishes QoS 0/1/2, subscribes with per-filter handlers, keeps the connection alive
/// and detects a dead peer within 1.5 times the keep-alive. Made with a connection factory it
/// also reconnects (exponential backoff with jitter), subscribes again when the server lost the
/// session, and retransmits unacknowledged publishes with DUP set [MQTT-4.4.0-1].
/// </summary>
/// <remarks>
/// Thread-safe: any number of concurrent operations. While a reconnecting session is
/// disconnected, operations wait (bounded by their cancellation token) for the next connection.
/// Handlers run one at a time, in arrival order, off the network reader; up to 1,024 received
/// messages wait for them, beyond that the session stops reading (so a handler stuck for longer
/// than the keep-alive looks like a dead server). A handler that throws ends the session (see
/// <see cref="Completion"/>). No thread ever blocks on I/O.
/// </remarks>
public sealed partial class MqttClientSession : IAsyncDisposable
{
    private static readonly AsyncLocal<bool> s_inHandler = new();

    private readonly MqttConnectOptions _options;
    private readonly Func<CancellationToken, ValueTask<Stream>>? _connect;
    private readonly MqttPacketFlow _flow = new();
    private readonly Lock _sendLock = new(); // current connection + identifier + queue order, taken together
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly Channel<Delivery> _inbox = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _dispatcher;
    private TaskCompletionSource<Connection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Connection? _connection;
    private Task _reconnecting = Task.CompletedTask;
    private long _establishedAt;
    private int _backoffStep; // reconnect loop only (one at a time)
    private Exception? _ended;
    private bool _disposing; // read without the lock: volatile semantics via Volatile.Read

    private MqttClientSession(MqttConnectOptions options, Func<CancellationToken, ValueTask<Stream>>? connect)
    {
        _options = options;
        _connect = connect;
        _dispatcher = Task.Run(DispatchAsync);
    }

    /// <summary>The client identifier.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>Whether a connection is up right now.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is not null;

    /// <summary>The session-present flag of the last CONNACK.</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>How many connections this session has made (1 after connecting, +1 per reconnect).</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>When the current connection last received a packet (<see cref="TimeProvider.GetTimestamp"/> units; tests).</summary>
    internal long LastReceived => Volatile.Read(ref _connection)?.Channel.LastReceived ?? 0;

    /// <summary>
    /// Completes when the session ends: successfully on disposal; faulted with the reason when
    /// the connection was lost and cannot come back (a single-stream session, or reconnection
    /// gave up) or a handler threw.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Connects over <paramref name="stream"/>, which the session owns from now on; no reconnection.</summary>
    /// <exception cref="MqttConnectionRefusedException">The server answered CONNACK with a non-zero code.</exception>
    /// <exception cref="MqttProtocolException">The server broke the protocol, or the options do (e.g. an invalid client id).</exception>
    /// <exception cref="MqttException">The connection failed or no CONNACK came within <see cref="MqttConnectOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static async Task<MqttClientSession> ConnectAsync(Stream stream, MqttConnectOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var session = new MqttClientSession(options, null);
        try
        {
            await session.EstablishAsync(stream, cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Connects over a stream from <paramref name="connect"/> and reconnects through it (a fresh
    /// stream each time) whenever the connection is lost, per <see cref="MqttConnectOptions.Reconnect"/>.
    /// The first connection is attempted once: its failure is thrown here.
    /// </summary>
    /// <exception cref="MqttConnectionRefusedException">The server answered CONNACK with a non-zero code.</exception>
    /// <exception cref="MqttProtocolException">The server broke the protocol, or the options do (e.g. an invalid client id).</exception>
    /// <exception cref="MqttException">The connection (TCP, TLS) failed, or no CONNACK came within <see cref="MqttConnectOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static async Task<MqttClientSession> ConnectAsync(Func<CancellationToken, ValueTask<Stream>> connect, MqttConnectOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(options);
        var session = new MqttClientSession(options, connect);
        try
        {
            await session.EstablishAsync(await connect(cancellationToken), cancellationToken);
            return session;
        }
        catch (Exception e) when (MqttChannel.IsTransportFault(e))
        {
            await session.DisposeAsync();
            throw new MqttException("could not connect: " + e.Message, e);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends DISCONNECT, closes the connection, stops reconnecting, and fails what is still pending with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Connection? connection;
        lock (_lock)
        {
            if (_disposing)
                return;
            _disposing = true;
            connection = _connection;
        }
        await _lifetime.CancelAsync();
        if (connection is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await connection.Channel.SendAsync(MqttDisconnectPacket.Instance, timeout.Token);
                await connection.Channel.CloseAsync(timeout.Token); // [MQTT-3.14.4-1]
            }
            catch (Exception e) when (e is MqttException or OperationCanceledException)
            {
                // The connection was going away anyway.
            }
        }
        End(new ObjectDisposedException(nameof(MqttClientSession), "the MQTT session was disposed"));
        if (connection is not null)
            await connection.DisposeAsync();
        await _reconnecting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!s_inHandler.Value)
            await _dispatcher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _completion.TrySetResult();
    }

    /// <summary>Ends the session for good: everything pending fails with <paramref name="reason"/>.</summary>
    private void End(Exception reason)
    {
        lock (_lock)
        {
            if (_ended is not null)
                return;
            _ended = reason;
            _connected.TrySetException(reason);
        }
        _flow.FailAll(reason);
        _inbox.Writer.TryComplete();
        _lifetime.Cancel();
        if (!_disposing)
            _completion.TrySetException(reason);
    }

    /// <summary>The current connection, or (while reconnecting) the next one.</summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    /// <exception cref="MqttException">The session ended.</exception>
    private ValueTask<Connection> ConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposing), this);
        return Volatile.Read(ref _connection) is { } connection ? ValueTask.FromResult(connection) : WaitAsync();

        async ValueTask<Connection> WaitAsync()
        {
            Task<Connection> connected;
            lock (_lock)
                connected = _connected.Task;
            return await connected.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Registers a packet awaiting acknowledgment and queues it on the current connection, as
    /// one step: a reconnect either retransmits it or it goes out on the new connection, never
    /// both out of order. A connection that broke meanwhile keeps the packet pending for the
    /// retransmission after the reconnect (or the failure at the end of the session).
    /// <c>request</c> builds a SUBSCRIBE/UNSUBSCRIBE for its identifier; null means a PUBLISH of the other arguments.
    /// </summary>
    private async ValueTask<(MqttPendingPacket Pending, MqttChannel Channel)> BeginAsync(Func<ushort, MqttPacket>? request,
        string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = await ConnectedAsync(cancellationToken);
            if (TryBeginNow(connection, request, topic, payload, qos, retain) is { } pending)
                return (pending, connection.Channel);
        }
    }

    /// <summary>As <see cref="BeginAsync"/> on <paramref name="connection"/>; null if it is no longer current.</summary>
    private MqttPendingPacket? TryBeginNow(Connection connection, Func<ushort, MqttPacket>? request,
        string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
    {
        lock (_sendLock)
        {
            if (connection != Volatile.Read(ref _connection))
                return null;
            var pending = request is null ? _flow.BeginPublish(topic, payload, qos, retain) : _flow.BeginRequest(request);
            try
            {
                if (pending.Request is not null)
                    connection.Channel.Send(pending.Request);
                else
                    connection.Channel.SendPublish(pending.Topic, pending.Payload.Span, pending.QualityOfService, pending.Retain, false, pending.PacketId);
            }
            catch (MqttException e) when (e is not MqttProtocolException)
            {
                // Lost connection: see above.
            }
            return pending;
        }
    }

    /// <summary>Waits for room on the channel (backpressure), then for the acknowledgment; cancellation abandons the packet.</summary>
    private async Task<MqttPacket?> AwaitAsync(MqttPendingPacket pending, MqttChannel? channel, CancellationToken cancellationToken)
    {
        try
        {
            if (channel is not null)
                await channel.WaitForRoomAsync(cancellationToken);
            return await pending.Completion.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _flow.Abandon(pending, cancellationToken);
            throw;
        }
    }

    private sealed record Subscription(string Filter, MqttQualityOfService QualityOfService, MqttMessageHandler Handler);

    private readonly record struct Delivery(MqttApplicationMessage Message, ushort PubAckId, Connection Connection);
}
