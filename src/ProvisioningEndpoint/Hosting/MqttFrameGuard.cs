using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// Kestrel connection middleware between TLS and MQTT on a device listener: it reads the MQTT
/// framing (fixed header and remaining length [MQTT-2.2]) of everything the client sends,
/// passing the bytes on unchanged, and closes the connection when a packet announces more than
/// <see cref="ListenerLimits.MaximumPacketSize"/>, when its remaining length runs over four
/// bytes, when its type is not one a client sends or its reserved flags are wrong [MQTT-2.2.2-2]
/// (MQTTnet 5.2 takes those), when the first packet is not CONNECT or a second CONNECT comes, when the CONNECT is not whole within <see cref="ListenerLimits.ConnectTimeout"/>, or
/// when any later packet is not whole within <see cref="ListenerLimits.PacketTimeout"/> of its
/// first byte. MQTTnet's pipe adapter itself would buffer a packet of any announced length
/// (up to 256 MiB) for as long as the client trickles it.
/// </summary>
public sealed partial class MqttFrameGuard(string listener, ListenerLimits limits, TimeProvider clock, ILogger logger)
{
    /// <summary>The middleware.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var original = connection.Transport;
        // Room for one whole packet of the largest size and the next one's start.
        var threshold = limits.MaximumPacketSize + 64L * 1024;
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: threshold, resumeWriterThreshold: threshold / 2, useSynchronizationContext: false));
        using var stop = new CancellationTokenSource();
        var pump = PumpAsync(connection, original.Input, pipe.Writer, stop.Token);
        connection.Transport = new Transport(pipe.Reader, original.Output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            connection.Transport = original;
        }
    };

    private async Task PumpAsync(ConnectionContext connection, PipeReader input, PipeWriter output, CancellationToken stop)
    {
        var frames = new FrameScanner(limits.MaximumPacketSize);
        var opened = clock.GetTimestamp();
        using var deadline = new CancellationTokenSource(limits.ConnectTimeout, clock);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stop);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(reading.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var now = clock.GetTimestamp();
                foreach (var segment in buffer)
                {
                    if (frames.Scan(segment.Span, now) is { } violation)
                    {
                        LogClosed(listener, connection.RemoteEndPoint, violation);
                        connection.Abort(new ConnectionAbortedException(violation));
                        return;
                    }
                    output.Write(segment.Span);
                }
                input.AdvanceTo(buffer.End);
                // The CONNECT is timed from the handshake, any later packet from its first byte;
                // between packets the client may be silent (MQTT's keep-alive governs that).
                if (frames.Completed == 0)
                    deadline.CancelAfter(Max(TimeSpan.Zero, limits.ConnectTimeout - clock.GetElapsedTime(opened)));
                else if (frames.MidPacket)
                    deadline.CancelAfter(Max(TimeSpan.Zero, limits.PacketTimeout - clock.GetElapsedTime(frames.PacketStarted)));
                else
                    deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                // Backpressure from the MQTT side is not the client's slowness: only the stop ends this wait.
                var flushed = await output.FlushAsync(stop).ConfigureAwait(false);
                if (flushed.IsCompleted || result.IsCompleted)
                    return;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            var reason = frames.Completed == 0
                ? $"no whole CONNECT within {limits.ConnectTimeout.TotalSeconds:0.#} s"
                : $"a packet not whole {limits.PacketTimeout.TotalSeconds:0.#} s after its first byte";
            LogClosed(listener, connection.RemoteEndPoint, reason);
            connection.Abort(new ConnectionAbortedException(reason));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away; the MQTT side sees the end of its input.
        }
        finally
        {
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Follows the fixed headers of a byte stream, packet after packet.</summary>
    private sealed class FrameScanner(int maximum)
    {
        private int _stage; // 0 expecting a fixed header's first byte, 1 in the remaining length, 2 in the body
        private int _lengthBytes;
        private int _length;
        private int _multiplier;
        private int _remaining;

        /// <summary>Packets whole so far.</summary>
        public int Completed { get; private set; }

        /// <summary>A packet is begun and not whole.</summary>
        public bool MidPacket => _stage != 0;

        /// <summary>When the current packet's first byte was read.</summary>
        public long PacketStarted { get; private set; }

        /// <summary>Follows <paramref name="data"/>; the violation when the framing breaks a limit, else null.</summary>
        public string? Scan(ReadOnlySpan<byte> data, long now)
        {
            var i = 0;
            while (i < data.Length)
            {
                switch (_stage)
                {
                    case 0:
                        if (HeaderProblem(data[i], first: Completed == 0) is { } problem)
                            return problem;
                        (_stage, _lengthBytes, _length, _multiplier, PacketStarted) = (1, 0, 0, 1, now);
                        i++;
                        break;
                    case 1:
                        var b = data[i++];
                        _length += (b & 0x7F) * _multiplier;
                        _multiplier *= 128;
                        if ((b & 0x80) != 0)
                        {
                            if (++_lengthBytes == 4)
                                return "the remaining length runs over four bytes [MQTT-2.2.3]";
                            break;
                        }
                        _lengthBytes++;
                        if (1L + _lengthBytes + _length > maximum)
                            return $"a packet of {1L + _lengthBytes + _length} bytes is announced; the maximum is {maximum}";
                        _remaining = _length;
                        if (_remaining == 0)
                            (_stage, Completed) = (0, Completed + 1);
                        else
                            _stage = 2;
                        break;
                    default:
                        var take = Math.Min(_remaining, data.Length - i);
                        i += take;
                        _remaining -= take;
                        if (_remaining == 0)
                            (_stage, Completed) = (0, Completed + 1);
                        break;
                }
            }
            return null;
        }

        // The fixed header's first byte of a packet a client may send [MQTT-2.2.1, MQTT-2.2.2]:
        // MQTTnet 5.2 takes packets with reserved flags set, and some server-to-client types, without closing.
        private static string? HeaderProblem(byte header, bool first)
        {
            var type = header >> 4;
            var flags = header & 0x0F;
            if (first != (type == 1))
                return first ? $"the first packet is of type {type}, not CONNECT [MQTT-3.1.0-1]" : "a second CONNECT [MQTT-3.1.0-2]";
            return type switch
            {
                1 or 4 or 5 or 7 or 12 or 14 when flags != 0 => $"packet type {type} with reserved flags 0x{flags:X} [MQTT-2.2.2-2]",
                6 or 8 or 10 when flags != 2 => $"packet type {type} with reserved flags 0x{flags:X} [MQTT-2.2.2-2]",
                3 when (flags & 0x06) == 0x06 => "a PUBLISH with QoS 3 [MQTT-3.3.1-4]",
                3 when (flags & 0x0E) == 0x08 => "a PUBLISH at QoS 0 with DUP set [MQTT-3.3.1-2]",
                1 or 3 or 4 or 5 or 6 or 7 or 8 or 10 or 12 or 14 => null,
                _ => $"packet type {type} is not sent by a client [MQTT-4.8.0-1]",
            };
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Listener}: connection from {Remote} closed: {Reason}")]
    private partial void LogClosed(string listener, System.Net.EndPoint? remote, string reason);
}
