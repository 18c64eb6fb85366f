namespace DeviceAgent.Mqtt.Packets;

/// <summary>The Will message of a CONNECT (section 3.1.2.5): published by the server if the client vanishes.</summary>
/// <param name="Topic">The Will topic, a topic name (no wildcards).</param>
/// <param name="Payload">The Will message (binary, at most 65,535 bytes).</param>
/// <param name="QualityOfService">The QoS to publish it with.</param>
/// <param name="Retain">Whether the server retains it.</param>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService = MqttQualityOfService.AtMostOnce, bool Retain = false);
