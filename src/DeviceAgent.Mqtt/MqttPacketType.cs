namespace DeviceAgent.Mqtt;

/// <summary>The MQTT 3.1.1 control packet types (section 2.2.1); 0 and 15 are reserved.</summary>
public enum MqttPacketType : byte
{
    /// <summary>Client request to connect to a server.</summary>
    Connect = 1,
    /// <summary>Connect acknowledgment.</summary>
    ConnAck = 2,
    /// <summary>Publish message.</summary>
    Publish = 3,
    /// <summary>Publish acknowledgment (QoS 1).</summary>
    PubAck = 4,
    /// <summary>Publish received (QoS 2, part 1).</summary>
    PubRec = 5,
    /// <summary>Publish release (QoS 2, part 2).</summary>
    PubRel = 6,
    /// <summary>Publish complete (QoS 2, part 3).</summary>
    PubComp = 7,
    /// <summary>Client subscribe request.</summary>
    Subscribe = 8,
    /// <summary>Subscribe acknowledgment.</summary>
    SubAck = 9,
    /// <summary>Unsubscribe request.</summary>
    Unsubscribe = 10,
    /// <summary>Unsubscribe acknowledgment.</summary>
    UnsubAck = 11,
    /// <summary>Ping request.</summary>
    PingReq = 12,
    /// <summary>Ping response.</summary>
    PingResp = 13,
    /// <summary>Client is disconnecting.</summary>
    Disconnect = 14,
}
