using DeviceAgent.Mqtt.Tests.Peers;

namespace DeviceAgent.Mqtt.Tests.RealPeers;

/// <summary>One mosquitto on plain TCP for a test class.</summary>
public sealed class PlainMosquitto : IAsyncLifetime
{
    internal MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

/// <summary>One mosquitto on TLS with <c>require_certificate true</c> for a test class.</summary>
public sealed class TlsMosquitto : IAsyncLifetime
{
    internal MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartAsync(tls: true);

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
