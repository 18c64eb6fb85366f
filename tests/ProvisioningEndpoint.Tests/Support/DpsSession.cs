using System.Text;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.Provisioning.Wire;
using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// A test device on the DPS listener through the device's own MQTT transport (<see cref="MqttSession"/>
/// and <see cref="MqttRequestResponse"/> on MQTTnet's client), over mutual TLS with its whole chain sent.
/// </summary>
internal static class DpsSession
{
    /// <summary>Connects <paramref name="device"/> with <paramref name="userName"/> (by default the DPS user name of its registration id).</summary>
    /// <exception cref="MqttConnectionRefusedException">The endpoint refused the CONNECT (its code in <see cref="MqttConnectionRefusedException.ResultCode"/>).</exception>
    public static Task<MqttSession> OpenDpsSessionAsync(this EndpointUnderTest endpoint, TestDevice device, string? userName = null) =>
        MqttSession.ConnectAsync(_ => new ValueTask<Stream>(RawMqtt.TlsAsync(endpoint, device, endpoint.Configuration.DevicePort)), new MqttSessionOptions
        {
            ClientId = device.RegistrationId,
            UserName = userName ?? $"{endpoint.Configuration.IdScope}/registrations/{device.RegistrationId}/api-version=2019-03-31",
        }, CancellationToken.None);

    /// <summary>Subscribes to the DPS responses and matches them to requests by <c>$rid</c>, as the agent's DPS client does.</summary>
    public static Task<MqttRequestResponse> StartRequestsAsync(MqttSession session) =>
        MqttRequestResponse.StartAsync(session, DpsTopics.ResponseFilter, MqttRequestResponse.QueryParameter("$rid"), CancellationToken.None);

    /// <summary>One request on a fresh connection of <paramref name="device"/>; the <c>$rid</c> is the one in <paramref name="topic"/>.</summary>
    public static async Task<(string Topic, string Body)> RequestOnceAsync(this EndpointUnderTest endpoint, TestDevice device, string topic, string body)
    {
        await using var session = await endpoint.OpenDpsSessionAsync(device);
        var rpc = await StartRequestsAsync(session);
        var rid = QueryString.Parse(topic[(topic.IndexOf('?', StringComparison.Ordinal) + 1)..])["$rid"];
        var response = await rpc.RequestAsync(topic, rid, Encoding.UTF8.GetBytes(body), TimeSpan.FromSeconds(10), CancellationToken.None);
        return (response.Topic, Encoding.UTF8.GetString(response.Payload.Span));
    }
}
