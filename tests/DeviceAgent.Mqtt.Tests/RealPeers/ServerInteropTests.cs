using System.Text.Json;
using DeviceAgent.Mqtt.Tests.Peers;
using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.RealPeers;

/// <summary>
/// Real-peer tier: other implementations' clients against our server side (a tiny echo host on
/// <see cref="DeviceAgent.Mqtt.Server.MqttServerConnection"/>): mosquitto_pub/mosquitto_sub and
/// the npm mqtt client.
/// </summary>
[Trait("Tier", "RealPeer")]
public sealed class ServerInteropTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Mosquitto_sub_receives_what_mosquitto_pub_publishes_at_qos_0_1_and_2()
    {
        var pub = PeerTools.Require("mosquitto_pub", "apt-get install mosquitto-clients");
        var sub = PeerTools.Require("mosquitto_sub", "apt-get install mosquitto-clients");
        await using var host = new EchoHost();
        var port = host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var subscriber = PeerTools.Start(sub, ["-h", "127.0.0.1", "-p", port, "-V", "mqttv311", "-i", "cli-sub", "-t", "echo/#", "-q", "2", "-C", "3", "-v", "-W", "30"]);
        using var stopSubscriber = new KillOnDispose(subscriber);
        var output = subscriber.StandardOutput.ReadToEndAsync();
        var errors = subscriber.StandardError.ReadToEndAsync();
        await Eventually.TrueAsync(() => host.SubscriptionCount == 1, "mosquitto_sub subscribed");

        foreach (var qos in new[] { "0", "1", "2" })
        {
            var (exit, _, error) = await PeerTools.RunAsync(pub, ["-h", "127.0.0.1", "-p", port, "-V", "mqttv311", "-i", "cli-pub-" + qos, "-t", "echo/q" + qos, "-m", "hello at qos " + qos, "-q", qos], s_patience);
            Assert.True(exit == 0, $"mosquitto_pub -q {qos} failed: {error}");
        }

        using var timeout = new CancellationTokenSource(s_patience);
        await subscriber.WaitForExitAsync(timeout.Token);
        Assert.True(subscriber.ExitCode == 0, $"mosquitto_sub failed: {await errors}");
        Assert.Equal(["echo/q0 hello at qos 0", "echo/q1 hello at qos 1", "echo/q2 hello at qos 2"],
            (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cli-pub-2", host.ClientIds);
    }

    [Fact]
    public async Task Npm_mqtt_client_connects_subscribes_publishes_and_receives_at_each_qos()
    {
        var folder = PeerTools.NodeProject();
        await using var host = new EchoHost();

        var (exit, output, error) = await PeerTools.RunAsync("node", ["echo-client.mjs", host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], s_patience, folder);

        Assert.True(exit == 0, $"node echo-client.mjs failed ({exit}): {error} {output}");
        using var result = JsonDocument.Parse(output);
        var received = result.RootElement.GetProperty("received").EnumerateArray()
            .Select(m => $"{m.GetProperty("topic").GetString()} {m.GetProperty("qos").GetInt32()} {m.GetProperty("payload").GetString()}")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["echo/node/0 0 qos0", "echo/node/1 1 qos1", "echo/node/2 2 qos2"], received);
        Assert.Equal(4, result.RootElement.GetProperty("protocolVersion").GetInt32());
        Assert.Contains("node-echo", host.ClientIds);
    }
}
