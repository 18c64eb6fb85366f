using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Client;

/// <summary>How a <see cref="MqttClientSession"/> connects and behaves.</summary>
public sealed class MqttConnectOptions
{
    /// <summary>The client identifier (DPS: the registration id; IoT Hub: the device id).</summary>
    public required string ClientId { get; init; }

    /// <summary>The user name, or null.</summary>
    public string? UserName { get; init; }

    /// <summary>The password, or null (needs <see cref="UserName"/>).</summary>
    public ReadOnlyMemory<byte>? Password { get; init; }

    /// <summary>Start a new session (default true). False keeps subscriptions and QoS 1/2 state across connections.</summary>
    public bool CleanSession { get; init; } = true;

    /// <summary>Keep-alive (whole seconds, up to 65,535 s; default 60 s; zero turns it off). A PINGREQ
    /// goes out when nothing was sent or nothing was received for this long; nothing received for
    /// 1.5 times this long means the peer is dead and the connection is dropped.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The Will message, or null.</summary>
    public MqttWill? Will { get; init; }

    /// <summary>How long to wait for CONNACK (default 30 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest packet accepted from the server (default 1 MiB); a larger one is a protocol violation.</summary>
    public int MaximumPacketSize { get; init; } = 1024 * 1024;

    /// <summary>Reconnection of a session made with a connection factory (default: backoff 1 s to 2 min, retry forever).</summary>
    public MqttReconnectOptions Reconnect { get; init; } = new();

    /// <summary>Receives messages that match no subscription handler, e.g. those a persistent session
    /// delivers before the application subscribed again. Null drops them (after acknowledging).</summary>
    public MqttMessageHandler? MessageReceived { get; init; }

    /// <summary>The clock for keep-alive and backoff (tests substitute it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal MqttConnectPacket ToPacket() => new(ClientId)
    {
        CleanSession = CleanSession,
        KeepAliveSeconds = (ushort)Math.Clamp((int)KeepAlive.TotalSeconds, 0, ushort.MaxValue),
        UserName = UserName,
        Password = Password,
        Will = Will,
    };
}
