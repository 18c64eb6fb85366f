namespace DeviceAgent.Mqtt.Server;

/// <summary>How a <see cref="MqttServerConnection"/> treats its client.</summary>
public sealed class MqttServerOptions
{
    /// <summary>How long the client has to send CONNECT (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest packet accepted from the client (default 1 MiB); larger is a protocol violation.</summary>
    public int MaximumPacketSize { get; init; } = 1024 * 1024;

    /// <summary>Packets received but not yet taken by <see cref="MqttServerConnection.ReceiveAsync"/>
    /// before the connection stops reading (backpressure; default 256).</summary>
    public int ReceiveQueueCapacity { get; init; } = 256;

    /// <summary>The clock for the keep-alive timeout (tests substitute it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
