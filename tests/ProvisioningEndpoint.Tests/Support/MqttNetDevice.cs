using System.Net;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;
using MQTTnet;
using MQTTnet.Channel;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// A test device on MQTTnet's client (an MQTT implementation independent of the endpoint's
/// interceptors), over our mutual-TLS stream so that its whole chain is sent.
/// </summary>
internal static class MqttNetDevice
{
    /// <summary>Connects <paramref name="device"/> to <paramref name="port"/>; the client is connected when this returns.</summary>
    /// <exception cref="MQTTnet.Adapter.MqttConnectingFailedException">The endpoint refused the CONNECT.</exception>
    public static async Task<IMqttClient> ConnectAsync(EndpointUnderTest endpoint, TestDevice device, int port, string clientId, string userName,
        Action<MqttApplicationMessageReceivedEventArgs>? received = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        if (received is not null)
        {
            client.ApplicationMessageReceivedAsync += e =>
            {
                received(e);
                return Task.CompletedTask;
            };
        }
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("localhost", port)
            .WithStreamProvider(new TlsStreamProvider(device, endpoint.ServerCaPath))
            .WithClientId(clientId)
            .WithCredentials(userName)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithCleanSession()
            .WithTimeout(TimeSpan.FromSeconds(20))
            .Build();
        try
        {
            await client.ConnectAsync(options);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A DPS device: client id and user name as DPS wants them.</summary>
    public static Task<IMqttClient> ConnectDpsAsync(this EndpointUnderTest endpoint, TestDevice device, Action<MqttApplicationMessageReceivedEventArgs>? received = null) =>
        ConnectAsync(endpoint, device, endpoint.Configuration.DevicePort, device.RegistrationId,
            $"{endpoint.Configuration.IdScope}/registrations/{device.RegistrationId}/api-version=2021-06-01", received);

    /// <summary>A hub device: client id = device id, the IoT Hub user name.</summary>
    public static Task<IMqttClient> ConnectHubAsync(this EndpointUnderTest endpoint, TestDevice device, Action<MqttApplicationMessageReceivedEventArgs>? received = null, int hub = 0)
    {
        var definition = endpoint.Configuration.Hubs[hub];
        return ConnectAsync(endpoint, device, definition.Port, device.RegistrationId,
            $"{definition.HostName}/{device.RegistrationId}/?api-version=2021-04-12", received);
    }

    private sealed class TlsStreamProvider(TestDevice device, string serverCaPath) : IMqttClientStreamProvider
    {
        public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
        {
            var (host, port) = brokerEndPoint switch
            {
                DnsEndPoint dns => (dns.Host, dns.Port),
                IPEndPoint ip => (ip.Address.ToString(), ip.Port),
                _ => throw new ArgumentException($"unexpected end point {brokerEndPoint}", nameof(brokerEndPoint)),
            };
            using var bundle = ChainBundle.Create(device.FullChain, device.RegistrationId);
            using var identity = TlsClientIdentity.Create(bundle, device.Key);
            return await MutualTlsConnector.ConnectAsync(host, port, identity, TlsServerTrust.FromPemFile(serverCaPath), cancellationToken: cancellationToken);
        }
    }
}
