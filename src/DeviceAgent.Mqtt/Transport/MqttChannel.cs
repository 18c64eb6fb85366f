using System.Buffers;
using System.IO.Pipelines;
using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Transport;

/// <summary>
/// Packets over one <see cref="Stream"/>, for either role: one reader at a time
/// (<see cref="ReceiveAsync"/>), any number of concurrent senders. Sends are encoded into an
/// in-memory pipe that one pump task drains to the stream, so bursts of small packets become a
/// few large writes (one TLS record for many PUBLISHes) and no caller waits on the socket unless
/// the pipe is full (backpressure). Every transport fault surfaces as <see cref="MqttException"/>.
/// </summary>
internal sealed class MqttChannel : IAsyncDisposable
{
    private const int CoalesceLimit = 64 * 1024;

    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly Pipe _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly TimeProvider _time;
    private readonly int _maximumPacketSize;
    private readonly Task _pump;
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
        _output = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
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

    /// <summary>Queues a packet for sending.</summary>
    /// <exception cref="MqttProtocolException">The packet breaks a rule (nothing was sent).</exception>
    /// <exception cref="MqttException">The channel is closed.</exception>
    public async ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfClosed();
            MqttPacketWriter.Write(_output.Writer, packet);
            await FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Queues a PUBLISH encoded from its fields (no packet object).</summary>
    /// <exception cref="MqttProtocolException">A field breaks a rule (nothing was sent).</exception>
    /// <exception cref="MqttException">The channel is closed.</exception>
    public async ValueTask SendPublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, bool duplicate, ushort packetId, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfClosed();
            MqttPacketWriter.WritePublish(_output.Writer, topic, payload.Span, qos, retain, duplicate, packetId);
            await FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends what is queued, then closes the stream; bounded by <paramref name="cancellationToken"/>.</summary>
    public async ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _output.Writer.CompleteAsync();
        }
        finally
        {
            _writeLock.Release();
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
        _output.Reader.CancelPendingRead();
        try
        {
            await _stream.DisposeAsync();
        }
        catch (Exception e) when (IsTransportFault(e))
        {
            // Closing a broken stream (e.g. TLS close_notify on a dead socket) has nothing left to report.
        }
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _output.Writer.Complete();
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastSent, _time.GetTimestamp());
        var flush = await _output.Writer.FlushAsync(cancellationToken);
        if (flush.IsCompleted)
            throw Lost(null);
    }

    private async Task PumpAsync()
    {
        var reader = _output.Reader;
        byte[]? coalesce = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                if (result.IsCanceled)
                    break;
                while (!buffer.IsEmpty)
                {
                    if (buffer.IsSingleSegment || buffer.First.Length >= CoalesceLimit)
                    {
                        await _stream.WriteAsync(buffer.First, _closed.Token);
                        buffer = buffer.Slice(buffer.First.Length);
                    }
                    else
                    {
                        coalesce ??= ArrayPool<byte>.Shared.Rent(CoalesceLimit);
                        var chunk = (int)Math.Min(buffer.Length, CoalesceLimit);
                        buffer.Slice(0, chunk).CopyTo(coalesce);
                        await _stream.WriteAsync(coalesce.AsMemory(0, chunk), _closed.Token);
                        buffer = buffer.Slice(chunk);
                    }
                }
                await _stream.FlushAsync(_closed.Token);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    break;
            }
            await reader.CompleteAsync();
        }
        catch (Exception e)
        {
            _writeFault = e;
            await reader.CompleteAsync(e);
            await _closed.CancelAsync();
            _input.CancelPendingRead(); // the reader learns of it too
        }
        finally
        {
            if (coalesce is not null)
                ArrayPool<byte>.Shared.Return(coalesce);
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed.IsCancellationRequested)
            throw Lost(null);
    }

    private static MqttException Lost(Exception? inner) => inner is null
        ? new MqttException("the MQTT connection is closed")
        : new MqttException("the MQTT connection was lost: " + inner.Message, inner);

    internal static bool IsTransportFault(Exception e) =>
        e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException;
}
