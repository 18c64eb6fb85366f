namespace DeviceAgent.Mqtt;

/// <summary>Delivery guarantee of an application message (section 4.3).</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: fire and forget.</summary>
    AtMostOnce = 0,
    /// <summary>QoS 1: acknowledged with PUBACK; duplicates possible.</summary>
    AtLeastOnce = 1,
    /// <summary>QoS 2: PUBREC/PUBREL/PUBCOMP handshake; no duplicates.</summary>
    ExactlyOnce = 2,
}
