namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// What a device listener (DPS or hub) grants one client before it closes the connection. Each
/// bound closes a connection that holds resources without making progress (a slowloris) in
/// bounded time: the handshake, the first packet, and any packet once begun must complete.
/// </summary>
public sealed record ListenerLimits
{
    /// <summary>The TLS handshake must complete within this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The client's CONNECT must have arrived whole this long after the handshake [MQTT-3.1.4-1 leaves the time to the server].</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A packet whose first byte arrived must be whole within this (trickled packets).</summary>
    public TimeSpan PacketTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest packet accepted from a client, fixed header included; larger closes the connection.</summary>
    public int MaximumPacketSize { get; init; } = 256 * 1024;

    /// <summary>Connections open at once from one IP address; more are closed at accept.</summary>
    public int ConnectionsPerAddress { get; init; } = 256;

    /// <summary>Messages queued for one client before the oldest is dropped.</summary>
    public int PendingMessagesPerClient { get; init; } = 100;
}
