using BenchmarkDotNet.Attributes;

namespace DeviceAgent.Benchmarks.Factory;

/// <summary>
/// Leaf certificates issued from device requests per second, with the line CA's key in an
/// encrypted file (decrypted once, when the CA is opened) and in SoftHSM2 (one C_Sign per leaf),
/// the issuance log fsynced once per leaf or once per batch of 100 (a line station draining its
/// queue). One operation = one leaf: request parsed and checked, leaf signed and verified, serial
/// reserved, log appended, PEM rendered. For the comparison with <c>openssl x509 -req</c>, see
/// <see cref="IssuanceComparison"/> (<c>./build.sh bench issuance</c>).
/// </summary>
[InProcess] // CPU-bound and self-contained: no generated project to build (which times out on a loaded machine)
[WarmupCount(2)]
[IterationCount(8)]
public class LeafIssuanceBenchmarks
{
    private const int Leaves = 100;
    private IssuanceRig _rig = null!;

    [Params("file", "softhsm")]
    public string CaKey { get; set; } = "file";

    [Params(1, 100)]
    public int BatchSize { get; set; } = 100;

    [GlobalSetup] // synchronous: the in-process toolchain does not await an asynchronous setup
    public void Setup() => _rig = IssuanceRig.StartAsync(CaKey, Leaves).GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Leaves, Description = "leaf from a request (check, sign, verify, log, PEM)")]
    public int IssueFromRequests() => _rig.IssueFromRequests(_rig.RequestPem, BatchSize);

    [GlobalCleanup]
    public void Cleanup() => _rig.Dispose();
}
