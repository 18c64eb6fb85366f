using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Tests.Packets;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Codec;

/// <summary>
/// A bounded random-mutation run (fixed seed, reproducible): valid packets with bits flipped,
/// bytes inserted, deleted, overwritten, truncated or length fields inflated. Every input
/// either decodes, needs more bytes, or throws <see cref="MqttProtocolException"/>; nothing
/// else escapes, nothing loops, and every decoded packet re-encodes.
/// </summary>
public sealed class MqttMutationFuzzTests
{
    private const int Inputs = 300_000;
    private const int Max = 16 * 1024;

    [Fact]
    public void Three_hundred_thousand_mutated_inputs_never_crash_or_hang_the_decoder()
    {
        var random = new Random(0x5EED);
        var seeds = Enumerable.Range(0, 400).Select(_ => MqttPacketRoundTripTests.Encode(RandomPackets.Next(random))).ToArray();
        int decoded = 0, incomplete = 0, violations = 0;
        var scratch = new byte[Max + 64];

        for (var i = 0; i < Inputs; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], random, scratch);
            try
            {
                var offset = 0;
                var rounds = 0;
                while (MqttPacketReader.TryDecode(input.Span[offset..], Max, out var packet, out var consumed))
                {
                    Assert.True(consumed >= 2, "a decoded packet must consume its header");
                    Assert.True(++rounds <= input.Length, "decoder made no progress");
                    offset += consumed;
                    decoded++;
                    _ = MqttPacketRoundTripTests.Encode(packet); // what we accept, we can write
                }
                incomplete++;
            }
            catch (MqttProtocolException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Rule));
                violations++;
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i} ({Hex.Format(input.Span)}) escaped with {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.Equal(Inputs, decoded > 0 ? incomplete + violations : -1);
        Assert.True(violations > Inputs / 10, $"the mutations should mostly be malformed: {violations} violations");
    }

    private static ReadOnlyMemory<byte> Mutate(byte[] seed, Random random, byte[] scratch)
    {
        var length = Math.Min(seed.Length, Max);
        seed.AsSpan(0, length).CopyTo(scratch);
        for (var n = 1 + random.Next(3); n > 0; n--)
        {
            switch (random.Next(6))
            {
                case 0 when length > 0: // flip a bit
                    scratch[random.Next(length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when length > 0: // overwrite with an interesting byte
                    scratch[random.Next(length)] = (byte)(random.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x7F, _ => random.Next(256) });
                    break;
                case 2 when length > 1: // truncate
                    length = random.Next(length);
                    break;
                case 3 when length < Max: // insert a byte
                    var at = random.Next(length + 1);
                    Array.Copy(scratch, at, scratch, at + 1, length - at);
                    scratch[at] = (byte)random.Next(256);
                    length++;
                    break;
                case 4 when length > 1: // delete a byte
                    var gone = random.Next(length);
                    Array.Copy(scratch, gone + 1, scratch, gone, length - gone - 1);
                    length--;
                    break;
                case 5 when length > 3: // inflate a two-byte length field somewhere
                    var field = random.Next(1, length - 1);
                    scratch[field] = 0xFF;
                    scratch[field + 1] = (byte)random.Next(256);
                    break;
            }
        }
        return scratch.AsMemory(0, length).ToArray();
    }
}
