using System.Collections.Concurrent;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.Support;

/// <summary>
/// Devices with software keys under one line CA, enrolled in an endpoint process through an
/// enrollment group, registering with the agent's own DPS client (one fresh mutual-TLS MQTT
/// connection each, no retries) — the load of tests/DeviceAgent.Benchmarks' RegistrationLoad at
/// test size. Records which registrations the endpoint acknowledged (answered "assigned").
/// </summary>
internal sealed class SoftwareFleet : IDisposable
{
    private readonly TestCa _root;
    private readonly TestCa _line;
    private readonly ConcurrentDictionary<string, DpsRegistrationResult> _acknowledged = new(StringComparer.Ordinal);
    private int _next;

    private SoftwareFleet(TestCa root, TestCa line)
    {
        _root = root;
        _line = line;
    }

    /// <summary>Registrations the endpoint acknowledged, by registration id.</summary>
    public IReadOnlyDictionary<string, DpsRegistrationResult> Acknowledged => _acknowledged;

    /// <summary>Failed registrations so far, with why.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    /// <summary>Makes the CAs and enrolls them in <paramref name="endpoint"/> (a verified root and a group on the line CA).</summary>
    public static async Task<SoftwareFleet> EnrollAsync(EndpointProcess endpoint)
    {
        var root = TestCa.CreateRoot($"Fleet Root {Guid.NewGuid():N}"[..22]);
        var line = root.IssueIntermediate("Fleet Line CA");
        await endpoint.Store.UploadCaAsync($"root-{Guid.NewGuid():N}", root.Certificate, verified: true);
        await endpoint.Store.PutGroupAsync($"line-{Guid.NewGuid():N}", line.Certificate);
        return new SoftwareFleet(root, line);
    }

    /// <summary>A new device registers once (at <paramref name="port"/>, a proxy, when given); true when the endpoint acknowledged it.</summary>
    public async Task<bool> RegisterOneAsync(EndpointProcess endpoint, int? port = null, CancellationToken cancellationToken = default)
    {
        var id = $"fleet-{Interlocked.Increment(ref _next):D5}-{Guid.NewGuid():N}"[..24];
        using var device = _line.IssueDevice(id);
        using var bundle = ChainBundle.Create(device.FullChain, id);
        using var tls = TlsClientIdentity.Create(bundle, device.Key);
        var transport = new DpsTransport("localhost", port ?? endpoint.DevicePort, tls, TlsServerTrust.FromPemFile(endpoint.ServerCaPath));
        var client = new DpsClient(transport.ConnectAsync, new DpsClientOptions
        {
            DefaultPollInterval = TimeSpan.FromMilliseconds(100),
            MaximumRetries = 0,
            ResponseTimeout = TimeSpan.FromSeconds(10),
            OverallTimeout = TimeSpan.FromSeconds(20),
        });
        try
        {
            var result = await client.RegisterAsync(endpoint.IdScope, id, null, cancellationToken);
            _acknowledged[id] = result;
            return true;
        }
        catch (Exception e) when (e is ProvisioningException or TlsConnectionException or MQTTnet.Exceptions.MqttCommunicationException or IOException
            or TimeoutException or OperationCanceledException)
        {
            Failures.Enqueue($"{id}: {e.Message}");
            return false;
        }
    }

    /// <summary>
    /// Asserts that every acknowledged registration is in the endpoint's store, assigned, with its
    /// hub device: nothing the endpoint said yes to was lost.
    /// </summary>
    public async Task AssertNoneLostAsync(ProvisioningEndpoint.Storage.IProvisioningStore store)
    {
        var records = (await store.ListRegistrationsAsync()).ToDictionary(r => r.RegistrationId, StringComparer.Ordinal);
        var hubDevices = (await store.ListHubDevicesAsync("hub1")).Select(d => d.DeviceId).ToHashSet(StringComparer.Ordinal);
        var lost = _acknowledged.Keys.Where(id => !records.TryGetValue(id, out var r) || r.Status != "assigned" || !hubDevices.Contains(_acknowledged[id].DeviceId)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {_acknowledged.Count} acknowledged registrations lost: {string.Join(", ", lost.Take(10))}");
    }

    public void Dispose()
    {
        _line.Dispose();
        _root.Dispose();
    }
}
