using BenchmarkDotNet.Running;
using DeviceAgent.Benchmarks.Mqtt;
using DeviceAgent.Benchmarks.Tls;

// ./build.sh bench                     every BenchmarkDotNet benchmark, then the comparative runs
// ./build.sh bench --filter '*Publish*' BenchmarkDotNet's own arguments
// ./build.sh bench mqtt-throughput     only the QoS 1 throughput comparison with the npm mqtt client
// ./build.sh bench --filter '*MutualTls*'  mutual-TLS handshakes/s with the key in software, SoftHSM2 and swtpm
// ./build.sh bench tls-handshakes [rounds] [seconds]  the same, side by side in interleaved rounds, with ratios
if (args is ["mqtt-throughput", ..])
    return await PublishThroughputComparison.RunAsync(args[1..]);
if (args is ["tls-handshakes", ..])
    return await HandshakeComparison.RunAsync(args[1..]);
if (args is ["tls-handshake-worker", var location])
    return await HandshakeComparison.WorkAsync(location);

var switcher = BenchmarkSwitcher.FromAssembly(typeof(PublishCodecBenchmarks).Assembly);
if (args.Length > 0)
{
    switcher.Run(args);
    return 0;
}
switcher.Run(["--filter", "*"]);
return await PublishThroughputComparison.RunAsync([]);
