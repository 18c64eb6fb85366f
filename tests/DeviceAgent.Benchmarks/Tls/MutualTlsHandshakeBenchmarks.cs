using BenchmarkDotNet.Attributes;

namespace DeviceAgent.Benchmarks.Tls;

/// <summary>
/// Mutual-TLS handshakes on loopback with the device key in software, in SoftHSM2 and in swtpm
/// (behind tpm2-abrmd and tpm2-pkcs11), the client sending leaf + intermediate and the server
/// validating the chain to the root; token keys through the key-method bridge. Each case runs in
/// its own process (BenchmarkDotNet's default). For ratios measured side by side,
/// interleaved, see <see cref="HandshakeComparison"/> (<c>./build.sh bench tls-handshakes</c>).
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class MutualTlsHandshakeBenchmarks
{
    private HandshakeRig _rig = null!;

    [Params("software", "softhsm", "tpm")]
    public string KeyLocation { get; set; } = "software";

    [GlobalSetup]
    public async Task SetupAsync() => _rig = await HandshakeRig.StartAsync(KeyLocation);

    [Benchmark(Description = "mutual-TLS 1.3 handshake, full chain, server validates")]
    public Task Handshake() => _rig.HandshakeAsync();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var (accepted, refused) = (_rig.Server.Accepted, _rig.Server.Refused);
        await _rig.DisposeAsync();
        Console.WriteLine($"// {KeyLocation}: server accepted {accepted} handshakes, refused {refused}");
        if (refused > 0)
            throw new InvalidOperationException($"{refused} handshakes were refused: the benchmark measured failures");
    }
}
