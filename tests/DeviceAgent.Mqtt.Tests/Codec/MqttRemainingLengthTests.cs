using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Codec;

public sealed class MqttRemainingLengthTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void Encodes_the_boundaries_of_section_2_2_3(int value, string hex)
    {
        Span<byte> buffer = stackalloc byte[4];
        var size = MqttRemainingLength.Write(buffer, value);
        Assert.Equal(hex, Hex.Format(buffer[..size]));
        Assert.Equal(size, MqttRemainingLength.SizeOf(value));
        Assert.True(MqttRemainingLength.TryRead(Hex.Parse(hex), MqttPacketType.Publish, out var read, out var readSize));
        Assert.Equal(value, read);
        Assert.Equal(size, readSize);
    }

    [Fact]
    public void A_fifth_byte_is_malformed()
    {
        var error = Assert.Throws<MqttProtocolException>(() => MqttRemainingLength.TryRead(Hex.Parse("FFFFFFFF7F"), MqttPacketType.Publish, out _, out _));
        Assert.Equal("MQTT-2.2.3", error.Rule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("FFFFFF")]
    public void Needs_more_bytes_while_the_continuation_bit_is_set(string hex) =>
        Assert.False(MqttRemainingLength.TryRead(Hex.Parse(hex), MqttPacketType.Publish, out _, out _));
}
