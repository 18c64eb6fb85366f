namespace DeviceAgent.Mqtt;

/// <summary>The server answered CONNECT with a CONNACK return code other than 0 (section 3.2.2.3).</summary>
public sealed class MqttConnectionRefusedException : MqttException
{
    /// <summary>Creates an exception with a default message.</summary>
    public MqttConnectionRefusedException() : this(MqttConnectReturnCode.NotAuthorized) { }

    /// <summary>Creates an exception with a message.</summary>
    public MqttConnectionRefusedException(string message) : base(message) => ReturnCode = MqttConnectReturnCode.NotAuthorized;

    /// <summary>Creates an exception with a message and its cause.</summary>
    public MqttConnectionRefusedException(string message, Exception innerException) : base(message, innerException) => ReturnCode = MqttConnectReturnCode.NotAuthorized;

    /// <summary>Creates the exception for a CONNACK return code.</summary>
    public MqttConnectionRefusedException(MqttConnectReturnCode returnCode) : base(Explain(returnCode)) => ReturnCode = returnCode;

    /// <summary>The return code the server sent (may be a reserved value 6-255).</summary>
    public MqttConnectReturnCode ReturnCode { get; }

    private static string Explain(MqttConnectReturnCode code) => code switch
    {
        MqttConnectReturnCode.UnacceptableProtocolVersion => "the server refused the connection: it does not support MQTT 3.1.1 (CONNACK 0x01)",
        MqttConnectReturnCode.IdentifierRejected => "the server refused the connection: client identifier rejected (CONNACK 0x02)",
        MqttConnectReturnCode.ServerUnavailable => "the server refused the connection: MQTT service unavailable (CONNACK 0x03)",
        MqttConnectReturnCode.BadUserNameOrPassword => "the server refused the connection: bad user name or password (CONNACK 0x04)",
        MqttConnectReturnCode.NotAuthorized => "the server refused the connection: not authorized (CONNACK 0x05)",
        _ => $"the server refused the connection with reserved return code 0x{(byte)code:X2}",
    };
}
