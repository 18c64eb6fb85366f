using DeviceAgent.TestPeers;

namespace DeviceAgent.Hardware.Tests.Support;

/// <summary>
/// One software TPM (hardware/simulators/tpm-sim.sh: swtpm behind tpm2-abrmd on a private bus)
/// for the script tests that need a TPM; started once for the collection, stopped after it.
/// </summary>
public sealed class SimulatedTpmFixture : IAsyncLifetime
{
    private TokenSimulator? _simulator;

    /// <summary>The simulator (its TCTI, module and private directory).</summary>
    public TokenSimulator Simulator => _simulator ?? throw new InvalidOperationException("the simulator is not started");

    /// <summary>The TCTI through which tpm2-tools and tpm2-pkcs11 reach the simulated TPM.</summary>
    public string Tcti => Simulator.Environment["TPM2TOOLS_TCTI"];

    /// <summary>The variables a child process needs to reach the simulator's D-Bus (for the tabrmd TCTI).</summary>
    public IReadOnlyDictionary<string, string> BusEnvironment => new Dictionary<string, string>
    {
        ["DBUS_SESSION_BUS_ADDRESS"] = Simulator.Environment["DBUS_SESSION_BUS_ADDRESS"],
    };

    public async Task InitializeAsync() => _simulator = await TokenSimulator.StartAsync(TokenKind.Tpm);

    public Task DisposeAsync()
    {
        _simulator?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SimulatedTpmGroup : ICollectionFixture<SimulatedTpmFixture>
{
    public const string Name = "simulated TPM";
}
