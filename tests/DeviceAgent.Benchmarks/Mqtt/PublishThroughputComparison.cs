using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Benchmarks.Mqtt;

/// <summary>
/// QoS 1 publish throughput against one local mosquitto: the device's session on MQTTnet's client
/// (<see cref="MqttSession"/>, as the hub session uses it) and the npm `mqtt` client doing the same
/// work in the same run: N messages of P bytes to one topic, W publishes in flight at a time, timed
/// from the first publish to the last PUBACK. Rounds alternate between the clients; the best round
/// of each is reported, and the ratio. (The last run that had our former client in it is in the README.)
/// </summary>
public static class PublishThroughputComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var window = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        const int Rounds = 3;
        var (node, folder) = NodeProject();
        await using var broker = await MosquittoBroker.StartAsync();
        Console.WriteLine($"QoS 1 publish throughput, mosquitto on 127.0.0.1:{broker.Port}, {messages} messages per round, {window} in flight, best of {Rounds} rounds");
        Console.WriteLine();
        Console.WriteLine("| payload | MQTTnet (MqttSession) msg/s | npm mqtt msg/s | ratio | MQTTnet bytes allocated per message |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (var payloadSize in new[] { 32, 1024 })
        {
            (double Rate, double Bytes) mqttnet = default;
            double theirs = 0;
            await MqttNetAsync(broker, messages / 10, window, payloadSize); // warm up the JIT
            for (var round = 0; round < Rounds; round++)
            {
                var m = await MqttNetAsync(broker, messages, window, payloadSize);
                if (m.Rate > mqttnet.Rate)
                    mqttnet = m;
                theirs = Math.Max(theirs, await NodeAsync(node, folder, broker.Port, messages, window, payloadSize));
            }
            Console.WriteLine($"| {payloadSize} B | {mqttnet.Rate:N0} | {theirs:N0} | {mqttnet.Rate / theirs:0.00}x | {mqttnet.Bytes:0} |");
        }
        return 0;
    }

    private static async Task<(double Rate, double BytesPerMessage)> MqttNetAsync(MosquittoBroker broker, int messages, int window, int payloadSize)
    {
        var payload = new byte[payloadSize];
        await using var session = await MqttSession.ConnectAsync(broker.ConnectAsync,
            new MqttSessionOptions { ClientId = "bench-mqttnet", UserName = "bench" }, CancellationToken.None);
        return await MeasureAsync(messages, window, () => session.PublishAsync("bench/throughput", payload, CancellationToken.None));
    }

    private static async Task<(double Rate, double BytesPerMessage)> MeasureAsync(int messages, int window, Func<Task> publish)
    {
        var next = -1;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, window).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < messages)
                await publish();
        }));
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (messages / clock.Elapsed.TotalSeconds, (double)allocated / messages);
    }

    // node and tests/node with the npm mqtt client installed (npm ci, as ./build.sh deps does).
    private static (string Node, string Folder) NodeProject()
    {
        var node = ExternalProcess.Require("node", "nodejs");
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "node");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "mqtt")))
            throw new InvalidOperationException($"the npm 'mqtt' client is not installed in {folder}: run 'npm ci' there (./build.sh deps does)");
        return (node, folder);
    }

    private static async Task<double> NodeAsync(string node, string folder, int port, int messages, int window, int payloadSize)
    {
        var result = await ExternalProcess.RunAsync(node, ["publish-throughput.mjs", port.ToString(CultureInfo.InvariantCulture),
            messages.ToString(CultureInfo.InvariantCulture), window.ToString(CultureInfo.InvariantCulture), payloadSize.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(5), workingDirectory: folder);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"node publish-throughput.mjs failed: {result.Transcript}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.GetProperty("messagesPerSecond").GetDouble();
    }
}
