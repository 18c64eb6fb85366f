using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Hosting;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;
using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// The endpoint running in this process on free loopback ports, in a fresh data directory
/// (removed on disposal). Tests reach its store and registry directly to arrange state, and its
/// device and hub endpoints over real MQTT/TLS.
/// </summary>
internal sealed class EndpointUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EndpointUnderTest(WebApplication app, EndpointDataDirectory data, EndpointConfiguration configuration)
    {
        _app = app;
        Data = data;
        Configuration = configuration;
    }

    public EndpointDataDirectory Data { get; }

    public EndpointConfiguration Configuration { get; }

    public IProvisioningStore Store => _app.Services.GetRequiredService<IProvisioningStore>();

    public HubRegistry Registry => _app.Services.GetRequiredService<HubRegistry>();

    public string ServerCaPath => Data.ServerCaCertificateFile;

    /// <summary>Starts it; <paramref name="minimumLogLevel"/> Warning keeps a benchmark's output to its figures.</summary>
    public static async Task<EndpointUnderTest> StartAsync(int hubs = 1, bool throttlePolls = false, int retryAfterSeconds = 0,
        LogLevel minimumLogLevel = LogLevel.Information, ListenerLimits? limits = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("endpoint-test.").FullName;
            var configuration = new EndpointConfiguration
            {
                DevicePort = FreePort.Next(),
                DeviceHttpsPort = FreePort.Next(),
                RestPort = FreePort.Next(),
                Hubs = [.. Enumerable.Range(1, hubs).Select(i => new HubDefinition($"hub{i}", "localhost", FreePort.Next(), FreePort.Next()))],
                RetryAfterSeconds = retryAfterSeconds,
                ThrottlePolls = throttlePolls,
            };
            var data = new EndpointDataDirectory(directory);
            data.Initialize(configuration);
            var app = await EndpointApplication.BuildAsync(data, jsonLogs: false, CancellationToken.None, minimumLogLevel, limits);
            try
            {
                await app.StartAsync();
                return new EndpointUnderTest(app, data, data.LoadConfiguration());
            }
            catch (Exception e) when (attempt < 3 && (e is IOException or SocketException || e.InnerException is SocketException))
            {
                await app.DisposeAsync();
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data.Path, recursive: true);
    }
}
