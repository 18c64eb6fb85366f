using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeviceAgent.Mqtt;
using DeviceAgent.Mqtt.Client;
using DeviceAgent.Mqtt.Tests.Peers;

namespace DeviceAgent.Benchmarks.Mqtt;

/// <summary>
/// QoS 1 publish throughput against one local mosquitto, our client and the npm `mqtt` client
/// doing the same work in the same run: N messages of P bytes to one topic, W publishes in
/// flight at a time, timed from the first publish to the last PUBACK. Rounds alternate between
/// the clients; the best round of each is reported, and the ratio of the two.
/// </summary>
public static class PublishThroughputComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var window = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        const int Rounds = 3;
        var node = PeerTools.NodeProject();
        await using var broker = await MosquittoBroker.StartAsync();
        Console.WriteLine($"QoS 1 publish throughput, mosquitto on 127.0.0.1:{broker.Port}, {messages} messages per round, {window} in flight, best of {Rounds} rounds");
        Console.WriteLine();
        Console.WriteLine("| payload | DeviceAgent.Mqtt msg/s | npm mqtt msg/s | ratio | DeviceAgent.Mqtt bytes allocated per message |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (var payloadSize in new[] { 32, 1024 })
        {
            double ours = 0, theirs = 0, allocated = 0;
            await OursAsync(broker, messages / 10, window, payloadSize); // warm up the JIT
            for (var round = 0; round < Rounds; round++)
            {
                var (rate, bytes) = await OursAsync(broker, messages, window, payloadSize);
                if (rate > ours)
                    (ours, allocated) = (rate, bytes);
                theirs = Math.Max(theirs, await NodeAsync(node, broker.Port, messages, window, payloadSize));
            }
            Console.WriteLine($"| {payloadSize} B | {ours:N0} | {theirs:N0} | {ours / theirs:0.00}x | {allocated:0} |");
        }
        return 0;
    }

    private static async Task<(double Rate, double BytesPerMessage)> OursAsync(MosquittoBroker broker, int messages, int window, int payloadSize)
    {
        var payload = new byte[payloadSize];
        await using var session = await MqttClientSession.ConnectAsync(broker.ConnectAsync, new MqttConnectOptions { ClientId = "bench-dotnet" });
        var next = -1;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, window).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < messages)
                await session.PublishAsync("bench/throughput", payload, MqttQualityOfService.AtLeastOnce);
        }));
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (messages / clock.Elapsed.TotalSeconds, (double)allocated / messages);
    }

    private static async Task<double> NodeAsync(string folder, int port, int messages, int window, int payloadSize)
    {
        var (exit, output, error) = await PeerTools.RunAsync("node", ["publish-throughput.mjs", port.ToString(CultureInfo.InvariantCulture),
            messages.ToString(CultureInfo.InvariantCulture), window.ToString(CultureInfo.InvariantCulture), payloadSize.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(5), folder);
        if (exit != 0)
            throw new InvalidOperationException($"node publish-throughput.mjs failed: {error}");
        using var result = JsonDocument.Parse(output);
        return result.RootElement.GetProperty("messagesPerSecond").GetDouble();
    }
}
