namespace DeviceAgent.Mqtt.Client;

/// <summary>A message delivered to a subscription handler.</summary>
/// <param name="Topic">The topic name it was published to.</param>
/// <param name="Payload">The payload; the session does not reuse it.</param>
/// <param name="QualityOfService">The QoS it was delivered with.</param>
/// <param name="Retain">Whether it is a retained message sent on subscribe.</param>
public sealed record MqttApplicationMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService, bool Retain);

/// <summary>Handles a delivered message. For QoS 1 the PUBACK is sent once the handler completes.</summary>
/// <param name="message">The message.</param>
/// <param name="cancellationToken">Cancelled when the session is disposed.</param>
public delegate ValueTask MqttMessageHandler(MqttApplicationMessage message, CancellationToken cancellationToken);
