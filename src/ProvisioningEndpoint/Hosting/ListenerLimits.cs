namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// What a listener grants one client before it closes the connection. Each bound closes a
/// connection that holds resources without making progress (a slowloris) in bounded time: on the
/// MQTT listeners (DPS, hubs) the handshake, the first packet, and any packet once begun must
/// complete; on the HTTPS listeners (REST, DPS HTTPS, hub registries) the handshake, the request
/// headers, and the body at Kestrel's minimum data rate. The per-address limit holds on all.
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

    /// <summary>HTTPS: a request's headers must arrive whole within this (Kestrel's RequestHeadersTimeout).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTPS: an idle connection between requests is closed after this (Kestrel's KeepAliveTimeout).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>HTTPS: the slowest request body accepted, in bytes per second after a grace of <see cref="MinimumBodyRateGrace"/>.</summary>
    public double MinimumBodyBytesPerSecond { get; init; } = 240;

    /// <summary>HTTPS: how long a body may be slower than <see cref="MinimumBodyBytesPerSecond"/>.</summary>
    public TimeSpan MinimumBodyRateGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>HTTPS: the largest request body of any route (413 past it); the REST API refuses bodies over 1 MiB itself with a 400.</summary>
    public long MaximumBodySize { get; init; } = 2 * 1024 * 1024;

    /// <summary>Messages queued for one client before the oldest is dropped.</summary>
    public int PendingMessagesPerClient { get; init; } = 100;
}
