namespace ProvisioningEndpoint.Setup;

/// <summary>What <c>info --json</c> prints for scripts.</summary>
/// <param name="IdScope">The ID scope.</param>
/// <param name="DeviceEndpoint">host:port of the DPS device endpoint.</param>
/// <param name="Hubs">The hubs.</param>
/// <param name="RestUrl">The REST API's base URL.</param>
/// <param name="ServerCaCertificate">Path of the PEM clients must trust.</param>
/// <param name="ConnectionString">The owner connection string (secret).</param>
/// <param name="ConsoleUrl">The operator console (on the REST API's port and certificate).</param>
public sealed record EndpointInfo(string IdScope, string DeviceEndpoint, IReadOnlyList<HubInfo> Hubs, string RestUrl, string ServerCaCertificate, string ConnectionString,
    string ConsoleUrl)
{
    /// <summary>The Prometheus scrape URL (<c>/metrics</c> on the REST port, unauthenticated).</summary>
    public string? MetricsUrl { get; init; }
}

/// <summary>A hub as <c>info</c> shows it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Host">Its host name.</param>
/// <param name="Port">Its MQTT/TLS port.</param>
/// <param name="RegistryPort">Its identity registry's HTTPS port for IoT Hub service clients; null when it has none.</param>
/// <param name="ConnectionString">The hub owner connection string (<c>iothubowner</c>, secret) for IoT Hub service clients; null when it has no registry port.</param>
public sealed record HubInfo(string Name, string Host, int Port, int? RegistryPort = null, string? ConnectionString = null);
