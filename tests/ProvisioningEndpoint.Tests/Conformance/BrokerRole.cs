using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ProvisioningEndpoint.Hosting;

namespace ProvisioningEndpoint.Tests.Conformance;

/// <summary>
/// The mosquitto corpus is written for a general broker: any client id, any topic, a client's
/// own publish delivered back to its matching subscriptions. This role is that broker on the
/// endpoint's own listener stack (connection limit, mutual TLS, frame guard, MQTTnet), so the
/// corpus tests the MQTT handling the DPS and hub listeners share; like them it serves MQTT
/// 3.1.1 only.
/// </summary>
internal sealed class BrokerRole : IMqttRole
{
    public string Name => "corpus broker";

    public void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.ValidatingConnectionAsync += e =>
        {
            if (e.ProtocolVersion != MqttProtocolVersion.V311)
                e.ReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion;
            return Task.CompletedTask;
        };
    }
}
