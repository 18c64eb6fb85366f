using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Device;
using ProvisioningEndpoint.Device.Https;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Observability;
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Rest;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Hosting;

/// <summary>Composes the endpoint: store, services, MQTT listeners and the HTTPS REST API in one host.</summary>
public static class EndpointApplication
{
    /// <summary>
    /// Builds the application for a data directory (already initialised) on <paramref name="store"/>
    /// (which the application then owns and disposes), or else the data directory's SQLite file.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(EndpointDataDirectory data, bool jsonLogs, CancellationToken cancellationToken,
        LogLevel minimumLogLevel = LogLevel.Information, ListenerLimits? limits = null, IProvisioningStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var configuration = data.LoadConfiguration();
        store ??= await SqliteProvisioningStore.OpenAsync(data.DatabaseFile, cancellationToken).ConfigureAwait(false);
        var metrics = new EndpointMetrics();
        var (serverCertificate, serverCa) = data.LoadServerCertificate();
        var certificateContext = SslStreamCertificateContext.Create(serverCertificate, [serverCa], offline: true);

        // The application name is the endpoint's assembly (also when a test hosts it): the console's Razor Pages are found there.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(EndpointApplication).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        if (jsonLogs)
            builder.Logging.AddJsonConsole();
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The console's data-protection keys sit unencrypted in the data directory beside the owner key (0700): no warning each start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        var listenerLimits = limits ?? new ListenerLimits();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            HttpsListeners.ApplyLimits(kestrel.Limits, listenerLimits);
            var address = System.Net.IPAddress.Parse(configuration.ListenAddress);
            kestrel.Listen(address, configuration.BoundRestPort, listen => HttpsListeners.Bind(listen, "rest", listenerLimits,
                https => https.ServerCertificate = serverCertificate, kestrel.ApplicationServices, metrics));
            // DPS's HTTPS device API (Device/Https): a client certificate asked for, not required.
            if (configuration.DeviceHttpsPort > 0)
            {
                kestrel.Listen(address, configuration.DeviceHttpsPort, listen => HttpsListeners.Bind(listen, "device-https", listenerLimits,
                    ClientChainCapture.Options(certificateContext, kestrel.ApplicationServices.GetRequiredService<ChainAttestor>()), kestrel.ApplicationServices, metrics));
            }
            // Each hub's identity registry for IoT Hub service clients (see Rest/Hubs/RegistryPortRewrite).
            foreach (var hub in configuration.Hubs.Where(h => h.RegistryPort > 0))
            {
                kestrel.Listen(address, hub.RegistryPort, listen => HttpsListeners.Bind(listen, $"registry:{hub.Name}", listenerLimits,
                    https => https.ServerCertificate = serverCertificate, kestrel.ApplicationServices, metrics));
            }
            kestrel.ApplicationServices.GetRequiredService<EndpointListeners>().Bind(kestrel);
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(data);
        services.AddSingleton(configuration);
        services.AddSingleton(metrics);
        // Every store is measured (Observability/MeteredProvisioningStore), whichever implementation it is; the
        // decorator owns the store and is created by the container's factory, so both are disposed with it.
        services.AddSingleton<IProvisioningStore>(_ => new MeteredProvisioningStore(store, metrics));
        services.AddSingleton(store as IOperatorStore
            ?? throw new InvalidOperationException($"the store {store.GetType().Name} keeps no operator accounts (IOperatorStore)"));
        services.AddSingleton(certificateContext);
        services.AddSingleton<TrustAnchors>();
        services.AddSingleton<ChainAttestor>();
        services.AddSingleton<TpmAttestor>();
        services.AddSingleton<EnrollmentResolver>();
        services.AddSingleton(new HubAllocator(configuration.Hubs));
        services.AddSingleton<HubRegistry>();
        services.AddSingleton(sp => new PollThrottle(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new RegistrationOptions(configuration.RetryAfterSeconds, configuration.ThrottlePolls));
        // cert-renewal. The container creates the key cache, so it disposes (zeroes) it at shutdown.
        services.AddSingleton(sp => new Issuance.IssuerKeyCache(sp.GetRequiredService<TimeProvider>(), Issuance.IssuerKeyCache.DefaultLifetime));
        services.AddSingleton(sp => new Issuance.IssuerStore(data.Path, sp.GetRequiredService<Issuance.IssuerKeyCache>()));
        services.AddSingleton<Issuance.DeviceCertificateIssuer>();
        services.AddSingleton<Issuance.RegistrationCertificates>();
        services.AddSingleton<Issuance.IssueCertificateHandler>();
        services.AddSingleton<RegistrationService>();
        services.AddSingleton(sp => new DpsDeviceEndpoint(configuration.IdScope, sp.GetRequiredService<RegistrationService>(), sp.GetRequiredService<ILogger<DpsDeviceEndpoint>>()));
        services.AddSingleton(listenerLimits);
        // Hub devices: how they authenticate, and who serves their topics (first match wins; more handlers may be added).
        services.AddSingleton<X509ThumbprintAuthenticator>();
        services.AddSingleton<HubSasAuthenticator>();
        services.AddSingleton<IHubDeviceAuthenticator, RegistryCredentialAuthenticator>();
        services.AddSingleton<IHubTopicHandler>(sp => new TelemetryHandler(sp.GetRequiredService<IProvisioningStore>(), configuration.TelemetryPerDevice, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHubTopicHandler, TwinHandler>();
        services.AddSingleton<IHubTopicHandler, Issuance.IssueCertificateTopicHandler>();
        services.AddSingleton<EndpointListeners>();
        services.AddHostedService(sp => sp.GetRequiredService<EndpointListeners>());
        OperatorConsole.ConsoleSetup.AddServices(services, data, store as ISharedSettings);

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok(new { status = "serving" }));
        DeviceHttpsApi.Map(app);
        RestApi.Map(app);
        MetricsRoute.Map(app);
        OperatorConsole.ConsoleSetup.Map(app);
        return app;
    }
}
