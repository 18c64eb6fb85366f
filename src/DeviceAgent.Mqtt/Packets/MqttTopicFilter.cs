namespace DeviceAgent.Mqtt.Packets;

/// <summary>One entry of a SUBSCRIBE: a topic filter and the maximum QoS requested for it.</summary>
/// <param name="Filter">The topic filter (wildcards allowed, see <see cref="MqttTopic"/>).</param>
/// <param name="QualityOfService">The maximum QoS the client wants messages delivered with.</param>
public readonly record struct MqttTopicFilter(string Filter, MqttQualityOfService QualityOfService);
