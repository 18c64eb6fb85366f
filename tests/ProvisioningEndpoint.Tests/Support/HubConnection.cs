using DeviceAgent.Provisioning.Transport;
using DeviceAgent.TestPeers;
using MQTTnet.Exceptions;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// Connects a test device to a hub of the endpoint as an IoT Hub device client would: the device's
/// own MQTT transport (<see cref="MqttSession"/> on MQTTnet's client) over mutual TLS, its whole chain sent.
/// </summary>
internal static class HubConnection
{
    /// <summary>Connects <paramref name="device"/> (as <paramref name="deviceId"/>, by default its registration id) to hub <paramref name="hub"/>.</summary>
    /// <exception cref="MqttConnectionRefusedException">The hub refused the CONNECT (its code in <see cref="MqttConnectionRefusedException.ResultCode"/>).</exception>
    public static Task<MqttSession> ConnectAsync(this EndpointUnderTest endpoint, TestDevice device, string? deviceId = null, int hub = 0)
    {
        var definition = endpoint.Configuration.Hubs[hub];
        var id = deviceId ?? device.RegistrationId;
        return MqttSession.ConnectAsync(_ => new ValueTask<Stream>(RawMqtt.TlsAsync(endpoint, device, definition.Port)), new MqttSessionOptions
        {
            ClientId = id,
            UserName = $"{definition.HostName}/{id}/?api-version=2021-04-12&DeviceClientType=deviceagent-tests",
            // MQTTnet waits half the keep-alive for every acknowledgement, and the hub acknowledges a
            // PUBLISH after its topic handler: issuing a certificate decrypts the issuer key (PBKDF2,
            // seconds on a loaded machine).
            KeepAlive = TimeSpan.FromMinutes(2),
        }, CancellationToken.None);
    }

    /// <summary>
    /// Asserts that the endpoint closes <paramref name="session"/> within 10 s: a close by the server
    /// faults <see cref="MqttSession.Completion"/>, one of ours would complete it normally.
    /// </summary>
    public static async Task AssertClosedByTheEndpointAsync(this MqttSession session, string because = "the hub did not disconnect the device")
    {
        var closed = await Record.ExceptionAsync(() => session.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(closed is MqttCommunicationException, $"{because}: {(closed is null ? "the session ended normally" : closed.GetType().Name + ": " + closed.Message)}");
    }
}
