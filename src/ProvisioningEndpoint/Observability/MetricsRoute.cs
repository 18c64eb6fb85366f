using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Observability;

/// <summary>
/// <c>GET /metrics</c> on the REST port, in the Prometheus text format (prometheus-net's exporter
/// over <see cref="EndpointMetrics.Registry"/>). Unauthenticated, as Prometheus scrapes usually
/// are: it exposes counts and latencies only, never a secret or an id (see <see cref="EndpointMetrics"/>),
/// and is not served on the device or registry ports.
/// </summary>
public static class MetricsRoute
{
    /// <summary>The route's path.</summary>
    public const string Path = "/metrics";

    /// <summary>The URL a scraper uses for the endpoint configured by <paramref name="configuration"/>.</summary>
    public static string Url(EndpointConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return $"https://{configuration.HostName}:{configuration.RestPort}{Path}";
    }

    /// <summary>Maps the route onto the REST port of <paramref name="app"/>.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var configuration = app.Services.GetRequiredService<EndpointConfiguration>();
        var metrics = app.Services.GetRequiredService<EndpointMetrics>();
        app.MapMetrics(settings => settings.Registry = metrics.Registry, Path).RequireHost($"*:{configuration.RestPort}");
    }
}
