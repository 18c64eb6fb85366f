using DeviceAgent.Mqtt.Client;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Connects a test device to a hub of the endpoint as an IoT Hub device client would.</summary>
internal static class HubConnection
{
    public static async Task<MqttClientSession> ConnectAsync(this EndpointUnderTest endpoint, TestDevice device, string? deviceId = null, int hub = 0,
        MqttMessageHandler? messages = null)
    {
        var definition = endpoint.Configuration.Hubs[hub];
        using var bundle = ChainBundle.Create(device.FullChain, device.RegistrationId);
        using var identity = TlsClientIdentity.Create(bundle, device.Key);
        var stream = await MutualTlsConnector.ConnectAsync("localhost", definition.Port, identity, TlsServerTrust.FromPemFile(endpoint.ServerCaPath));
        var id = deviceId ?? device.RegistrationId;
        return await MqttClientSession.ConnectAsync(stream, new MqttConnectOptions
        {
            ClientId = id,
            UserName = $"{definition.HostName}/{id}/?api-version=2021-04-12&DeviceClientType=deviceagent-tests",
            KeepAlive = TimeSpan.FromSeconds(30),
            MessageReceived = messages,
        });
    }
}
