using System.Buffers;
using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Tests.Support;

/// <summary>A scripted peer on the far end of a stream: reads and writes raw packets.</summary>
internal sealed class PacketPeer(Stream stream) : IAsyncDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _count;

    public Stream Stream => stream;

    public async Task<MqttPacket> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(s_patience);
        while (true)
        {
            if (MqttPacketReader.TryDecode(_buffer.AsSpan(0, _count), _buffer.Length, out var packet, out var consumed))
            {
                _buffer.AsSpan(consumed, _count - consumed).CopyTo(_buffer);
                _count -= consumed;
                return packet;
            }
            var n = await stream.ReadAsync(_buffer.AsMemory(_count), timeout.Token);
            if (n == 0)
                throw new EndOfStreamException("the other side closed the connection");
            _count += n;
        }
    }

    public async Task<T> ReceiveAsync<T>() where T : MqttPacket
    {
        var packet = await ReceiveAsync();
        return Assert.IsType<T>(packet);
    }

    /// <summary>The raw bytes of the next packet (to check flags such as DUP).</summary>
    public async Task<byte[]> ReceiveRawAsync()
    {
        using var timeout = new CancellationTokenSource(s_patience);
        while (true)
        {
            if (MqttPacketReader.TryReadFixedHeader(_buffer.AsSpan(0, _count), _buffer.Length, out var header) && _count >= header.PacketLength)
            {
                var raw = _buffer.AsSpan(0, header.PacketLength).ToArray();
                _buffer.AsSpan(header.PacketLength, _count - header.PacketLength).CopyTo(_buffer);
                _count -= header.PacketLength;
                return raw;
            }
            var n = await stream.ReadAsync(_buffer.AsMemory(_count), timeout.Token);
            if (n == 0)
                throw new EndOfStreamException("the other side closed the connection");
            _count += n;
        }
    }

    public async Task SendAsync(MqttPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(output, packet);
        await stream.WriteAsync(output.WrittenMemory);
    }

    public async Task SendAsync(string hex) => await stream.WriteAsync(Hex.Parse(hex));

    /// <summary>Reads until the other side closes; fails if a packet arrives instead.</summary>
    public async Task ExpectClosedAsync()
    {
        using var timeout = new CancellationTokenSource(s_patience);
        var n = await stream.ReadAsync(_buffer.AsMemory(_count), timeout.Token);
        Assert.True(n == 0 && _count == 0, "expected the connection to close");
    }

    /// <summary>CONNECT in, CONNACK out.</summary>
    public async Task<MqttConnectPacket> AcceptAsync(bool sessionPresent = false)
    {
        var connect = await ReceiveAsync<MqttConnectPacket>();
        await SendAsync(new MqttConnAckPacket(MqttConnectReturnCode.Accepted, sessionPresent));
        return connect;
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
