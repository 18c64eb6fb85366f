namespace DeviceAgent.Mqtt.Tests;

public sealed class MqttTopicTests
{
    [Theory]
    // Section 4.7.1.2 and 4.7.1.3 examples.
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    // [MQTT-4.7.2-1]: wildcards at the start do not match $ topics.
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    // DPS response topics.
    [InlineData("$dps/registrations/res/#", "$dps/registrations/res/202/?$rid=42&retry-after=3", true)]
    [InlineData("$dps/registrations/res/#", "$dps/registrations/PUT/iotdps-register/?$rid=42", false)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("A/b", "a/b", false)]
    public void Matches_as_section_4_7_says(string filter, string topic, bool expected) =>
        Assert.Equal(expected, MqttTopic.Matches(filter, topic));

    [Theory]
    [InlineData("#", true)]
    [InlineData("+", true)]
    [InlineData("a/+/b/#", true)]
    [InlineData("+/+/+", true)]
    [InlineData("", false)]
    [InlineData("a#", false)]
    [InlineData("a/#/b", false)]
    [InlineData("a+", false)]
    [InlineData("a/+b", false)]
    [InlineData("a/\0", false)]
    public void Validates_topic_filters(string filter, bool valid) => Assert.Equal(valid, MqttTopic.IsValidTopicFilter(filter));

    [Theory]
    [InlineData("a/b", true)]
    [InlineData("/", true)]
    [InlineData("$dps/registrations/PUT/iotdps-register/?$rid=1", true)]
    [InlineData("", false)]
    [InlineData("a/+", false)]
    [InlineData("#", false)]
    [InlineData("a\u0001", false)]
    public void Validates_topic_names(string topic, bool valid) => Assert.Equal(valid, MqttTopic.IsValidTopicName(topic));
}
