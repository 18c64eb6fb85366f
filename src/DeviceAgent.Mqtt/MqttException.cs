namespace DeviceAgent.Mqtt;

/// <summary>
/// The MQTT failure family. Used as is for transport faults (the connection was lost or closed;
/// the underlying <see cref="IOException"/> or <see cref="ObjectDisposedException"/> is the inner
/// exception); subclasses name protocol violations and refused connections.
/// </summary>
public class MqttException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public MqttException() : base("MQTT connection failed") { }

    /// <summary>Creates an exception with a message.</summary>
    public MqttException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public MqttException(string message, Exception innerException) : base(message, innerException) { }
}
