namespace DeviceAgent.Mqtt;

/// <summary>A SUBACK return code (section 3.9.3): the maximum QoS granted, or failure.</summary>
public enum MqttSubscribeReturnCode : byte
{
    /// <summary>Success, maximum QoS 0.</summary>
    GrantedQoS0 = 0x00,
    /// <summary>Success, maximum QoS 1.</summary>
    GrantedQoS1 = 0x01,
    /// <summary>Success, maximum QoS 2.</summary>
    GrantedQoS2 = 0x02,
    /// <summary>The server refused the subscription.</summary>
    Failure = 0x80,
}
