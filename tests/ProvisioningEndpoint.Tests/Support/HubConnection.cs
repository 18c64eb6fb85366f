using DeviceAgent.Mqtt.Client;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>A test device's MQTT/TLS connection to a hub, as a device client makes it (leaf + intermediates, IoT Hub user name).</summary>
internal static class HubConnection
{
    public static async Task<MqttClientSession> ConnectAsync(EndpointUnderTest endpoint, TestDevice device, HubDefinition hub)
    {
        using var bundle = ChainBundle.Create(device.FullChain, device.RegistrationId);
        using var identity = TlsClientIdentity.Create(bundle, device.Key);
        var stream = await MutualTlsConnector.ConnectAsync("localhost", hub.Port, identity, TlsServerTrust.FromPemFile(endpoint.ServerCaPath));
        return await MqttClientSession.ConnectAsync(stream, new MqttConnectOptions
        {
            ClientId = device.RegistrationId,
            UserName = $"{hub.HostName}/{device.RegistrationId}/?api-version=2021-04-12",
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
    }
}
