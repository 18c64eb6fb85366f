using MQTTnet;
using MQTTnet.Exceptions;

namespace DeviceAgent.Provisioning.Transport;

/// <summary>
/// The server answered CONNECT with a refusal (MQTT 3.1.1 3.2.2.3, CONNACK return codes 1-5).
/// A transport fault like every <see cref="MqttCommunicationException"/>; callers decide whether
/// the code is final (not authorised) or transient (server unavailable).
/// </summary>
public sealed class MqttConnectionRefusedException : MqttCommunicationException
{
    /// <summary>Creates the exception.</summary>
    public MqttConnectionRefusedException(MqttClientConnectResultCode resultCode)
        : base($"the server refused the connection: {Describe(resultCode)} [MQTT-3.2.2-5]")
    {
        ResultCode = resultCode;
    }

    /// <summary>Creates the exception.</summary>
    public MqttConnectionRefusedException() : this(MqttClientConnectResultCode.UnspecifiedError) { }

    /// <summary>Creates the exception.</summary>
    public MqttConnectionRefusedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public MqttConnectionRefusedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The CONNACK's code as MQTTnet reports it.</summary>
    public MqttClientConnectResultCode ResultCode { get; }

    /// <summary>True for the code a server uses when it cannot serve now (3: server unavailable).</summary>
    public bool IsTransient => ResultCode is MqttClientConnectResultCode.ServerUnavailable or MqttClientConnectResultCode.ServerBusy;

    private static string Describe(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.UnsupportedProtocolVersion => "unacceptable protocol version (1)",
        MqttClientConnectResultCode.ClientIdentifierNotValid => "identifier rejected (2)",
        MqttClientConnectResultCode.ServerUnavailable => "server unavailable (3)",
        MqttClientConnectResultCode.BadUserNameOrPassword => "bad user name or password (4)",
        MqttClientConnectResultCode.NotAuthorized => "not authorized (5)",
        _ => code.ToString(),
    };
}
