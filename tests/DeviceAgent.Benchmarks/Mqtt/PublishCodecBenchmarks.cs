using System.Buffers;
using BenchmarkDotNet.Attributes;
using DeviceAgent.Mqtt;
using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Benchmarks.Mqtt;

/// <summary>
/// The PUBLISH hot path: encode from fields into a reused buffer, decode to a view (no
/// allocation expected for either), and for contrast the allocating decode to a packet object.
/// </summary>
[MemoryDiagnoser]
public class PublishCodecBenchmarks
{
    private const string Topic = "devices/dev-1/messages/events/";

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private byte[] _payload = [];
    private byte[] _encoded = [];

    [Params(32, 1024)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        Random.Shared.NextBytes(_payload);
        _output.ResetWrittenCount();
        MqttPacketWriter.WritePublish(_output, Topic, _payload, MqttQualityOfService.AtLeastOnce, packetId: 42);
        _encoded = _output.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        return MqttPacketWriter.WritePublish(_output, Topic, _payload, MqttQualityOfService.AtLeastOnce, packetId: 42);
    }

    [Benchmark]
    public int DecodeView()
    {
        MqttPacketReader.TryReadFixedHeader(_encoded, MqttPacketReader.MaximumPacketSize, out var header);
        var view = MqttPacketReader.DecodePublish(header, _encoded.AsSpan(header.HeaderLength, header.RemainingLength));
        return view.Payload.Length + view.PacketId;
    }

    [Benchmark]
    public int DecodePacket()
    {
        MqttPacketReader.TryDecode(_encoded, MqttPacketReader.MaximumPacketSize, out var packet, out var consumed);
        return consumed + (int)packet!.Type;
    }
}
