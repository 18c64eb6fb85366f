using System.Buffers;
using System.IO.Pipelines;
using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Transport;

/// <summary>
/// Packets over one <see cref="Stream"/>, for either role: one reader at a time
/// (<see cref="ReceiveAsync"/>), any number of concurrent senders. Sending encodes the packet,
/// under a short lock, into a buffer that one pump task swaps out and writes to the stream: a
/// burst of small packets becomes one large write (one TLS record for many PUBLISHes), a send
/// never waits on the socket, and the order of sends is the order on the wire. When more than
/// 1 MiB is queued, the async send methods wait for the pump (backpressure). Every transport
/// fault surfaces as <see cref="MqttException"/>.
/// </summary>
internal sealed class MqttChannel : IAsyncDisposable
{
    private const int PauseThreshold = 1024 * 1024;
    private const int InitialBuffer = 16 * 1024;

    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly Lock _lock = new();
    private readonly MqttPumpSignal _wake = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly TimeProvider _time;
    private readonly int _maximumPacketSize;
    private readonly Task _pump;
    private ArrayBufferWriter<byte> _queued = new(InitialBuffer);
    private ArrayBufferWriter<byte>? _spare = new(InitialBuffer);
    private TaskCompletionSource? _room;
    private bool _pumpWaiting;
    private bool _completing;
    private long _lastReceived;
    private long _lastSent;
    private int _disposed;
    private Exception? _writeFault;

    public MqttChannel(Stream stream, int maximumPacketSize, TimeProvider time)
    {
        _stream = stream;
        _time = time;
        _maximumPacketSize = maximumPacketSize;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        _lastReceived = _lastSent = time.GetTimestamp();
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Cancelled once the channel is closed or broken.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>When the last complete packet arrived (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public long LastReceived => Volatile.Read(ref _lastReceived);

    /// <summary>When the last packet was queued for sending.</summary>
    public long LastSent => Volatile.Read(ref _lastSent);

    /// <summary>Reads the next packet; null when the peer closed the connection between packets.</summary>
    /// <exception cref="MqttProtocolException">The peer sent malformed bytes.</exception>
    /// <exception cref="MqttException">The connection broke (also: closed in the middle of a packet).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(cancellationToken);
            }
            catch (Exception e) when (IsTransportFault(e))
            {
                throw Lost(e);
            }
            var buffer = result.Buffer;
            bool decoded;
            MqttPacket? packet;
            try
            {
                decoded = MqttPacketReader.TryDecode(ref buffer, _maximumPacketSize, out packet);
            }
            catch
            {
                _input.AdvanceTo(result.Buffer.Start);
                throw;
            }
            if (decoded)
            {
                _input.AdvanceTo(buffer.Start);
                Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                return packet;
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCanceled && _writeFault is not null)
                throw Lost(_writeFault);
            if (result.IsCompleted || result.IsCanceled)
            {
                if (!buffer.IsEmpty)
                    throw new MqttException($"the connection closed in the middle of a packet ({buffer.Length} bytes unread)");
                return null;
            }
        }
    }

    /// <summary>Queues a packet (never waits).</summary>
    /// <exception cref="MqttProtocolException">The packet breaks a rule (nothing was queued).</exception>
    /// <exception cref="MqttException">The channel is closed.</exception>
    public void Send(MqttPacket packet)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            MqttPacketWriter.Write(_queued, packet);
            Queued();
        }
    }

    /// <summary>Queues a PUBLISH encoded from its fields, without a packet object (never waits).</summary>
    /// <exception cref="MqttProtocolException">A field breaks a rule (nothing was queued).</exception>
    /// <exception cref="MqttException">The channel is closed.</exception>
    public void SendPublish(string topic, ReadOnlySpan<byte> payload, MqttQualityOfService qos, bool retain, bool duplicate, ushort packetId)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            MqttPacketWriter.WritePublish(_queued, topic, payload, qos, retain, duplicate, packetId);
            Queued();
        }
    }

    /// <summary>Queues a packet, then waits while more than the backpressure threshold is queued.</summary>
    /// <exception cref="MqttProtocolException">The packet breaks a rule (nothing was queued).</exception>
    /// <exception cref="MqttException">The channel is closed.</exception>
    public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        Send(packet);
        return WaitForRoomAsync(cancellationToken);
    }

    /// <summary>Queues a PUBLISH, then waits while more than the backpressure threshold is queued.</summary>
    /// <exception cref="MqttProtocolException">A field breaks a rule (nothing was queued).</exception>
    /// <exception cref="MqttException">The channel is closed.</exception>
    public ValueTask SendPublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, bool duplicate, ushort packetId, CancellationToken cancellationToken)
    {
        SendPublish(topic, payload.Span, qos, retain, duplicate, packetId);
        return WaitForRoomAsync(cancellationToken);
    }

    /// <summary>Whether less than the backpressure threshold is queued (a hint: it may change at once).</summary>
    public bool HasRoom
    {
        get
        {
            lock (_lock)
                return _queued.WrittenCount < PauseThreshold;
        }
    }

    /// <summary>Completes at once unless more than 1 MiB is queued; then when the pump took it.</summary>
    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Task room;
        lock (_lock)
        {
            if (_queued.WrittenCount < PauseThreshold || _closed.IsCancellationRequested)
                return ValueTask.CompletedTask;
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            room = _room.Task;
        }
        return new ValueTask(room.WaitAsync(cancellationToken));
    }

    /// <summary>Sends what is queued, then closes the stream; bounded by <paramref name="cancellationToken"/>.</summary>
    public async ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _completing = true;
            WakePump();
        }
        try
        {
            await _pump.WaitAsync(cancellationToken);
        }
        finally
        {
            await DisposeAsync();
        }
    }

    /// <summary>Closes at once: pending reads and writes fail; queued bytes are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _closed.CancelAsync();
        _input.CancelPendingRead();
        lock (_lock)
            WakePump();
        try
        {
            await _stream.DisposeAsync();
        }
        catch (Exception e) when (IsTransportFault(e))
        {
            // Closing a broken stream (e.g. TLS close_notify on a dead socket) has nothing left to report.
        }
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_lock)
            _room?.TrySetResult();
    }

    private void Queued()
    {
        Volatile.Write(ref _lastSent, _time.GetTimestamp());
        WakePump();
    }

    private void WakePump()
    {
        if (_pumpWaiting)
        {
            _pumpWaiting = false;
            _wake.Set();
        }
    }

    /// <summary>Swaps the queued buffer out and writes it; waits for the next send when there is none.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                ArrayBufferWriter<byte>? batch = null;
                TaskCompletionSource? room;
                lock (_lock)
                {
                    if (_queued.WrittenCount == 0)
                    {
                        if (_completing || _closed.IsCancellationRequested)
                            return;
                        _wake.Arm();
                        _pumpWaiting = true;
                    }
                    else
                    {
                        batch = _queued;
                        _queued = _spare ?? new ArrayBufferWriter<byte>(InitialBuffer);
                        _spare = null;
                    }
                    room = _room;
                    _room = null;
                }
                room?.TrySetResult();
                if (batch is null)
                {
                    await _wake.WaitAsync();
                    continue;
                }
                await _stream.WriteAsync(batch.WrittenMemory, _closed.Token);
                await _stream.FlushAsync(_closed.Token);
                batch.ResetWrittenCount();
                lock (_lock)
                    _spare = batch.Capacity > 4 * PauseThreshold ? null : batch; // let one huge message's buffer go
            }
        }
        catch (Exception e)
        {
            if (!_closed.IsCancellationRequested)
                _writeFault = e;
            await _closed.CancelAsync();
            _input.CancelPendingRead(); // the reader learns of it too
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed.IsCancellationRequested || _completing)
            throw Lost(_writeFault);
    }

    private static MqttException Lost(Exception? inner) => inner is null
        ? new MqttException("the MQTT connection is closed")
        : new MqttException("the MQTT connection was lost: " + inner.Message, inner);

    /// <summary>What a broken or refused network connection throws (TLS included).</summary>
    internal static bool IsTransportFault(Exception e) =>
        e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or InvalidOperationException;
}
