using System.Net.Sockets;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.TestPeers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ProvisioningEndpoint.Hosting;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace Factory.Tests.Support;

/// <summary>
/// The provisioning endpoint in this process on free loopback ports in a fresh data directory, for
/// the management commands: its connection string and server CA as bringup takes them, its store
/// to look at, and a device registration as the agent makes it. Removed on disposal.
/// </summary>
internal sealed class LocalEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalEndpoint(WebApplication app, EndpointDataDirectory data)
    {
        _app = app;
        Data = data;
        Configuration = data.LoadConfiguration();
    }

    public EndpointDataDirectory Data { get; }

    public EndpointConfiguration Configuration { get; }

    public IProvisioningStore Store => _app.Services.GetRequiredService<IProvisioningStore>();

    public HubRegistry Registry => _app.Services.GetRequiredService<HubRegistry>();

    /// <summary>What bringup needs: the owner connection string in its variable.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["PROVISIONING_CONNECTION_STRING"] = Data.OwnerConnectionString(Configuration),
    };

    /// <summary>--trust and the endpoint's server CA.</summary>
    public string[] Trust => ["--trust", Data.ServerCaCertificateFile];

    public static async Task<LocalEndpoint> StartAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("bringup-endpoint.").FullName;
            var data = new EndpointDataDirectory(directory);
            data.Initialize(new EndpointConfiguration
            {
                DevicePort = FreePort.Next(),
                DeviceHttpsPort = FreePort.Next(),
                RestPort = FreePort.Next(),
                Hubs = [new HubDefinition("hub1", "localhost", FreePort.Next())],
                RetryAfterSeconds = 0,
                ThrottlePolls = false,
            });
            var app = await EndpointApplication.BuildAsync(data, jsonLogs: false, CancellationToken.None);
            try
            {
                await app.StartAsync();
                return new LocalEndpoint(app, data);
            }
            catch (Exception e) when (attempt < 3 && (e is IOException or SocketException || e.InnerException is SocketException))
            {
                await app.DisposeAsync();
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>Registers a device (chain.pem from bringup, its key PEM) with the agent's DPS client; the assigned hub, or the refusal.</summary>
    public async Task<(DpsRegistrationResult? Result, string? Refusal)> RegisterAsync(string registrationId, string chainFile, string keyFile)
    {
        using var bundle = ChainBundle.Load(chainFile);
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyFile));
        using var identity = TlsClientIdentity.Create(bundle, key);
        var transport = new DpsTransport("localhost", Configuration.DevicePort, identity, TlsServerTrust.FromPemFile(Data.ServerCaCertificateFile));
        var client = new DpsClient(transport.ConnectAsync, new DpsClientOptions { OverallTimeout = TimeSpan.FromSeconds(30), MaximumRetries = 1 });
        try
        {
            return (await client.RegisterAsync(Configuration.IdScope, registrationId, null, CancellationToken.None), null);
        }
        catch (DeviceAgent.Provisioning.ProvisioningException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Sends one QoS 1 telemetry message to the device's hub as an IoT Hub device client would
    /// (MQTT/TLS, the device's chain), on the agent's own MQTT transport (MQTTnet's client).
    /// </summary>
    public async Task SendTelemetryAsync(string deviceId, string chainFile, string keyFile, string properties, string body)
    {
        using var bundle = ChainBundle.Load(chainFile);
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyFile));
        using var identity = TlsClientIdentity.Create(bundle, key);
        var hub = Configuration.Hubs[0];
        var trust = TlsServerTrust.FromPemFile(Data.ServerCaCertificateFile);
        await using var session = await MqttSession.ConnectAsync(
            async cancellationToken => await MutualTlsConnector.ConnectAsync("localhost", hub.Port, identity, trust, cancellationToken: cancellationToken),
            new MqttSessionOptions
            {
                ClientId = deviceId,
                UserName = $"{hub.HostName}/{deviceId}/?api-version=2021-04-12",
                KeepAlive = TimeSpan.FromSeconds(30),
            }, CancellationToken.None);
        await session.PublishAsync($"devices/{deviceId}/messages/events/{properties}", System.Text.Encoding.UTF8.GetBytes(body), CancellationToken.None);
        // The hub acknowledges once the message is queued for its store; wait until it is stored.
        for (var attempt = 0; attempt < 100 && (await Store.ListTelemetryAsync(hub.Name, deviceId, 1)).Count == 0; attempt++)
            await Task.Delay(50);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data.Path, recursive: true);
    }
}
