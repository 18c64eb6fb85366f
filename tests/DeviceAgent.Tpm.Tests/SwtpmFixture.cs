using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Tpm.Tests;

/// <summary>One real swtpm per test class (no resource manager), reached by our stack through a counting transport.</summary>
public class SwtpmFixture : IAsyncLifetime
{
    private Swtpm? _swtpm;
    private Tpm2? _tpm;

    /// <summary>Whether swtpm_setup --create-ek-cert made the state first (an EK certificate in NV from a local CA).</summary>
    protected virtual bool WithEkCertificate => false;

    public Swtpm Simulator => _swtpm ?? throw new InvalidOperationException("not started");

    public Tpm2 Tpm => _tpm ?? throw new InvalidOperationException("not started");

    public CountingTransport Counter { get; private set; } = null!;

    public SwtpmTransport Transport { get; private set; } = null!;

    /// <summary>Runs a tpm2-tools program; our connection is closed first (swtpm serves one client at a time).</summary>
    public Task<ProcessResult> RunToolAsync(string tool, params string[] arguments)
    {
        Transport.Close();
        return Simulator.RunToolAsync(tool, arguments);
    }

    public async Task InitializeAsync()
    {
        _swtpm = await Swtpm.StartAsync(WithEkCertificate);
        Transport = new SwtpmTransport("127.0.0.1", _swtpm.Port);
        Counter = new CountingTransport(Transport);
        _tpm = new Tpm2(Counter);
    }

    public Task DisposeAsync()
    {
        _tpm?.Dispose();
        _swtpm?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Transient objects now loaded (the swtpm has three slots).</summary>
    public int LoadedTransients() => Tpm.GetHandles(DeviceAgent.Tpm.Constants.TpmHt.Transient).Count;
}

/// <summary>A swtpm manufactured by swtpm_setup --create-ek-cert: RSA and ECC EK certificates in NV, from a private swtpm_localca.</summary>
public sealed class SwtpmEkFixture : SwtpmFixture
{
    protected override bool WithEkCertificate => true;
}
