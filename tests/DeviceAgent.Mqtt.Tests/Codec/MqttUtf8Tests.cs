using System.Text;
using DeviceAgent.Mqtt.Codec;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Codec;

public sealed class MqttUtf8Tests
{
    [Theory]
    [InlineData("7061796C6F6164")]
    [InlineData("C3BC")]            // U+00FC
    [InlineData("E697A5")]          // U+65E5
    [InlineData("F09F9880")]        // U+1F600
    [InlineData("EFBBBF")]          // BOM, kept [MQTT-1.5.3-3]
    [InlineData("")]
    public void Accepts_well_formed_strings(string hex) =>
        MqttUtf8.Validate(Hex.Parse(hex), MqttPacketType.Publish, "topic name");

    [Theory]
    [InlineData("00", "MQTT-1.5.3-2")]
    [InlineData("EDA080", "MQTT-1.5.3-1")]   // U+D800 encoded
    [InlineData("C0AF", "MQTT-1.5.3-1")]     // overlong '/'
    [InlineData("F4908080", "MQTT-1.5.3-1")] // above U+10FFFF
    [InlineData("80", "MQTT-1.5.3-1")]       // lone continuation byte
    [InlineData("01", "MQTT-1.5.3")]
    [InlineData("7F", "MQTT-1.5.3")]
    [InlineData("C280", "MQTT-1.5.3")]       // U+0080
    [InlineData("EFB790", "MQTT-1.5.3")]     // U+FDD0 non-character
    [InlineData("F09FBFBF", "MQTT-1.5.3")]   // U+1FFFF non-character
    public void Refuses_what_section_1_5_3_forbids(string hex, string rule)
    {
        var error = Assert.Throws<MqttProtocolException>(() => MqttUtf8.Validate(Hex.Parse(hex), MqttPacketType.Publish, "topic name"));
        Assert.Equal(rule, error.Rule);
    }

    [Theory]
    [InlineData("a/b", 3)]
    [InlineData("ü", 2)]
    [InlineData("\U0001F600", 4)]
    public void Measures_strings_it_will_encode(string value, int expected) =>
        Assert.Equal(expected, MqttUtf8.Measure(value, MqttPacketType.Publish, "topic name"));

    [Theory]
    [InlineData("a\0", "MQTT-1.5.3-2")]
    [InlineData("a\u0007", "MQTT-1.5.3")]
    [InlineData("\uFFFE", "MQTT-1.5.3")]
    public void Refuses_to_encode_what_it_would_refuse_to_read(string value, string rule)
    {
        var error = Assert.Throws<MqttProtocolException>(() => MqttUtf8.Measure(value, MqttPacketType.Publish, "topic name"));
        Assert.Equal(rule, error.Rule);
    }

    [Fact]
    public void Refuses_to_encode_an_unpaired_surrogate()
    {
        var lone = "a" + (char)0xDC00;
        Assert.Equal("MQTT-1.5.3-1", Assert.Throws<MqttProtocolException>(() => MqttUtf8.Measure(lone, MqttPacketType.Publish, "topic name")).Rule);
    }

    [Fact]
    public void Length_limit_is_65535_bytes_of_utf8_not_chars()
    {
        Assert.Equal(65_535, MqttUtf8.Measure(new string('a', 65_535), MqttPacketType.Publish, "topic name"));
        var twoByteChars = new string('ü', 32_768); // 65,536 bytes
        Assert.Equal("MQTT-1.5.3", Assert.Throws<MqttProtocolException>(() => MqttUtf8.Measure(twoByteChars, MqttPacketType.Publish, "topic name")).Rule);
        Assert.Equal(65_536, Encoding.UTF8.GetByteCount(twoByteChars));
    }
}
