using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Observability;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// The endpoint's HTTPS listeners (REST, DPS HTTPS, hub registries) under the same
/// <see cref="ListenerLimits"/> as its MQTT listeners: <see cref="ConnectionsPerAddress"/> first,
/// the TLS handshake within <see cref="ListenerLimits.HandshakeTimeout"/>, and Kestrel's own
/// bounds on headers, idle connections, body rate and body size; its handshakes are counted
/// (<see cref="HandshakeMetering"/>) under the listener's name.
/// </summary>
public static class HttpsListeners
{
    /// <summary>Kestrel's server-wide HTTP limits from <paramref name="limits"/>.</summary>
    public static void ApplyLimits(KestrelServerLimits kestrel, ListenerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(limits);
        kestrel.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrel.MinRequestBodyDataRate = new MinDataRate(limits.MinimumBodyBytesPerSecond, limits.MinimumBodyRateGrace);
        kestrel.MaxRequestBodySize = limits.MaximumBodySize;
    }

    /// <summary>Makes <paramref name="listen"/> an HTTPS listener named <paramref name="name"/> with a server certificate.</summary>
    public static void Bind(ListenOptions listen, string name, ListenerLimits limits, Action<HttpsConnectionAdapterOptions> https, IServiceProvider services, EndpointMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(limits);
        LimitConnections(listen, name, limits, services);
        HandshakeMetering.UseHttps(listen, metrics, name, l => l.UseHttps(options =>
        {
            https(options);
            options.HandshakeTimeout = limits.HandshakeTimeout;
        }));
    }

    /// <summary>Makes <paramref name="listen"/> an HTTPS listener named <paramref name="name"/> whose TLS options are chosen per connection.</summary>
    public static void Bind(ListenOptions listen, string name, ListenerLimits limits, TlsHandshakeCallbackOptions https, IServiceProvider services, EndpointMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(https);
        LimitConnections(listen, name, limits, services);
        https.HandshakeTimeout = limits.HandshakeTimeout;
        HandshakeMetering.UseHttps(listen, metrics, name, l => l.UseHttps(https));
    }

    private static void LimitConnections(ListenOptions listen, string name, ListenerLimits limits, IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpsListeners));
        listen.Use(new ConnectionsPerAddress(name, limits.ConnectionsPerAddress, logger).Wrap);
    }
}
