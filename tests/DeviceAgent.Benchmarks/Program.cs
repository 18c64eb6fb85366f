using BenchmarkDotNet.Running;
using DeviceAgent.Benchmarks.Mqtt;

// ./build.sh bench                     every BenchmarkDotNet benchmark, then the comparative runs
// ./build.sh bench --filter '*Publish*' BenchmarkDotNet's own arguments
// ./build.sh bench mqtt-throughput     only the QoS 1 throughput comparison with the npm mqtt client
if (args is ["mqtt-throughput", ..])
    return await PublishThroughputComparison.RunAsync(args[1..]);

var switcher = BenchmarkSwitcher.FromAssembly(typeof(PublishCodecBenchmarks).Assembly);
if (args.Length > 0)
{
    switcher.Run(args);
    return 0;
}
switcher.Run(["--filter", "*"]);
return await PublishThroughputComparison.RunAsync([]);
