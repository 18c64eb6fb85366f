namespace ProvisioningEndpoint.Model;

/// <summary>A hub this endpoint serves: its name, the host name devices are told, and its MQTT/TLS port.</summary>
/// <param name="Name">The hub's name (e.g. <c>hub1</c>).</param>
/// <param name="HostName">The host name devices connect to (<c>assignedHub</c>).</param>
/// <param name="Port">The MQTT/TLS port; DPS's <c>assignedHub</c> carries <c>:port</c> when it is not 8883.</param>
public sealed record HubDefinition(string Name, string HostName, int Port)
{
    /// <summary><c>assignedHub</c> as devices receive it: the host name, plus <c>:port</c> when the port is not 8883.</summary>
    public string AssignedHub => Port == 8883 ? HostName : $"{HostName}:{Port}";
}
