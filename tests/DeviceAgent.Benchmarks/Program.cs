using BenchmarkDotNet.Running;
using DeviceAgent.Benchmarks.Factory;
using DeviceAgent.Benchmarks.Mqtt;
using DeviceAgent.Benchmarks.Tls;

// ./build.sh bench                     every BenchmarkDotNet benchmark, then the comparative runs
// ./build.sh bench --filter '*LeafIssuance*'  BenchmarkDotNet's own arguments
// ./build.sh bench mqtt-throughput     only the QoS 1 throughput comparison with the npm mqtt client
// ./build.sh bench --filter '*MutualTls*'  mutual-TLS handshakes/s with the key in software, SoftHSM2 and swtpm
// ./build.sh bench tls-handshakes [rounds] [seconds]  the same plus the key in swtpm through our TPM stack (tpm-native), side by side in interleaved rounds, with ratios
// ./build.sh bench registration-load [devices] [concurrency]  the endpoint under N registering devices vs bare handshakes
// ./build.sh bench scale-out [devices] [concurrency] [rounds]  endpoint processes: 1 direct on SQLite, 1 direct on PostgreSQL, 1 and 2 behind HAProxy
// ./build.sh bench --filter '*LeafIssuance*'  leaves/s from requests, CA key in a file and in SoftHSM2
// ./build.sh bench --filter '*IssuerKeyOpen*'  the endpoint opening its issuer key per issuance: decrypted each time vs IssuerKeyCache
// ./build.sh bench issuance [rounds] [leaves]  the same against openssl x509 -req in a loop, interleaved, with ratios
// ./build.sh bench device-create [devices]     bringup device create with the key in swtpm, split by step
// ./build.sh bench first-telemetry [rounds] [deviceagent]  deviceagent (key in swtpm) vs the Node.js SDK: start to first telemetry, peak RSS, interleaved
if (args is ["mqtt-throughput", ..])
    return await PublishThroughputComparison.RunAsync(args[1..]);
if (args is ["registration-load", ..])
    return await DeviceAgent.Benchmarks.Endpoint.RegistrationLoad.RunAsync(args[1..]);
if (args is ["scale-out", ..])
    return await DeviceAgent.Benchmarks.Endpoint.ScaleOutComparison.RunAsync(args[1..]);
if (args is ["tls-handshakes", ..])
    return await HandshakeComparison.RunAsync(args[1..]);
if (args is ["issuance", ..])
    return await IssuanceComparison.RunAsync(args[1..]);
if (args is ["device-create", ..])
    return await DeviceCreateTimings.RunAsync(args[1..]);
if (args is ["first-telemetry", ..])
    return await DeviceAgent.Benchmarks.Agent.FirstTelemetryComparison.RunAsync(args[1..]);
if (args is ["tls-handshake-worker", var location])
    return await HandshakeComparison.WorkAsync(location);

var switcher = BenchmarkSwitcher.FromAssembly(typeof(LeafIssuanceBenchmarks).Assembly);
if (args.Length > 0)
{
    switcher.Run(args);
    return 0;
}
switcher.Run(["--filter", "*"]);
return await PublishThroughputComparison.RunAsync([]);
