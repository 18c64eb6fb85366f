using MQTTnet.Server;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// What one MQTT listener serves (the DPS device protocol, or one hub's device protocol): it
/// attaches its interceptors to the listener's own MQTTnet server, which then routes nothing
/// between clients: every publish is consumed by the role and every response goes to the
/// session that asked.
/// </summary>
public interface IMqttRole
{
    /// <summary>The listener's name in logs ("dps", "hub hub1").</summary>
    string Name { get; }

    /// <summary>Attaches the role's interceptors to <paramref name="server"/> (before it starts).</summary>
    void Attach(MqttServer server);
}
