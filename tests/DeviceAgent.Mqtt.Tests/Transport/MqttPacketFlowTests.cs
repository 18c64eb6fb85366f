using DeviceAgent.Mqtt.Packets;
using DeviceAgent.Mqtt.Transport;

namespace DeviceAgent.Mqtt.Tests.Transport;

public sealed class MqttPacketFlowTests
{
    [Fact]
    public void Identifiers_are_never_0_never_reused_while_pending_and_wrap()
    {
        var flow = new MqttPacketFlow();
        var first = flow.BeginPublish("t", default, MqttQualityOfService.AtLeastOnce, false);
        Assert.Equal(1, first.PacketId);
        for (var i = 2; i <= ushort.MaxValue; i++)
            flow.OnAcknowledgment(new MqttPubAckPacket(flow.BeginPublish("t", default, MqttQualityOfService.AtLeastOnce, false).PacketId));

        var wrapped = flow.BeginPublish("t", default, MqttQualityOfService.AtLeastOnce, false);

        Assert.Equal(2, wrapped.PacketId); // 1 is still pending
        Assert.Equal(2, flow.PendingCount);
    }

    [Fact]
    public void An_acknowledgment_that_does_not_fit_the_pending_qos_is_a_violation()
    {
        var flow = new MqttPacketFlow();
        var qos1 = flow.BeginPublish("t", default, MqttQualityOfService.AtLeastOnce, false);
        var qos2 = flow.BeginPublish("t", default, MqttQualityOfService.ExactlyOnce, false);

        Assert.Equal("MQTT-4.3.2-1", Assert.Throws<MqttProtocolException>(() => flow.OnAcknowledgment(new MqttPubRecPacket(qos1.PacketId))).Rule);
        Assert.Equal("MQTT-4.3.3-1", Assert.Throws<MqttProtocolException>(() => flow.OnAcknowledgment(new MqttPubAckPacket(qos2.PacketId))).Rule);
        Assert.Equal("MQTT-4.3.3-1", Assert.Throws<MqttProtocolException>(() => flow.OnAcknowledgment(new MqttPubCompPacket(qos2.PacketId))).Rule);
    }

    [Fact]
    public void Unknown_identifiers_are_ignored_but_pubrec_and_pubrel_are_still_answered()
    {
        var flow = new MqttPacketFlow();
        Assert.Null(flow.OnAcknowledgment(new MqttPubAckPacket(7)));
        Assert.Null(flow.OnAcknowledgment(new MqttPubCompPacket(7)));
        Assert.IsType<MqttPubRelPacket>(flow.OnAcknowledgment(new MqttPubRecPacket(7)));
        Assert.IsType<MqttPubCompPacket>(flow.OnAcknowledgment(new MqttPubRelPacket(7)));
    }

    [Fact]
    public async Task Snapshot_keeps_the_order_of_first_sending_and_failure_reaches_everyone()
    {
        var flow = new MqttPacketFlow();
        var a = flow.BeginPublish("a", default, MqttQualityOfService.AtLeastOnce, false);
        var s = flow.BeginRequest(id => new MqttSubscribePacket(id, [new MqttTopicFilter("x", MqttQualityOfService.AtMostOnce)]));
        var b = flow.BeginPublish("b", default, MqttQualityOfService.ExactlyOnce, false);

        Assert.Equal([a, s, b], flow.Snapshot());

        flow.FailAll(new MqttException("gone"));
        await Assert.ThrowsAsync<MqttException>(() => a.Completion);
        await Assert.ThrowsAsync<MqttException>(() => s.Completion);
        await Assert.ThrowsAsync<MqttException>(() => b.Completion);
        Assert.Equal(0, flow.PendingCount);
    }
}
