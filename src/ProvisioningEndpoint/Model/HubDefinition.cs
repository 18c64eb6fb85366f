namespace ProvisioningEndpoint.Model;

/// <summary>A hub this endpoint serves: its name, the host name devices are told, its MQTT/TLS port, and its registry's HTTPS port.</summary>
/// <param name="Name">The hub's name (e.g. <c>hub1</c>).</param>
/// <param name="HostName">The host name devices connect to (<c>assignedHub</c>).</param>
/// <param name="Port">The MQTT/TLS port; DPS's <c>assignedHub</c> carries <c>:port</c> when it is not 8883.</param>
/// <param name="RegistryPort">
/// The HTTPS port of the hub's identity registry as IoT Hub service clients address it
/// (<c>HostName=host:registryPort</c>, paths <c>/devices/{id}</c>); 0 when the hub has none, in which
/// case its registry is reached only through the REST API's <c>/hubs/{name}</c>.
/// </param>
/// <param name="ListenPort">
/// The port this instance listens on for the hub's MQTT/TLS when it is not <paramref name="Port"/>:
/// instances behind a TCP load balancer on one machine each listen on their own port while devices
/// are told the balancer's; 0 = <paramref name="Port"/>.
/// </param>
public sealed record HubDefinition(string Name, string HostName, int Port, int RegistryPort = 0, int ListenPort = 0)
{
    /// <summary>The port the hub's MQTT/TLS listener binds.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int BoundPort => ListenPort > 0 ? ListenPort : Port;

    /// <summary><c>assignedHub</c> as devices receive it: the host name, plus <c>:port</c> when the port is not 8883.</summary>
    public string AssignedHub => Port == 8883 ? HostName : $"{HostName}:{Port}";
}
