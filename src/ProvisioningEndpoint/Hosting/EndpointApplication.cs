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
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Rest;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Hosting;

/// <summary>Composes the endpoint: store, services, MQTT listeners and the HTTPS REST API in one host.</summary>
public static class EndpointApplication
{
    /// <summary>Builds the application for a data directory (already initialised).</summary>
    public static async Task<WebApplication> BuildAsync(EndpointDataDirectory data, bool jsonLogs, CancellationToken cancellationToken,
        LogLevel minimumLogLevel = LogLevel.Information, ListenerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var configuration = data.LoadConfiguration();
        var store = await SqliteProvisioningStore.OpenAsync(data.DatabaseFile, cancellationToken).ConfigureAwait(false);
        var (serverCertificate, serverCa) = data.LoadServerCertificate();
        var certificateContext = SslStreamCertificateContext.Create(serverCertificate, [serverCa], offline: true);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (jsonLogs)
            builder.Logging.AddJsonConsole();
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Parse(configuration.ListenAddress), configuration.RestPort,
                listen => listen.UseHttps(https => https.ServerCertificate = serverCertificate));
            // DPS's HTTPS device API (Device/Https): a client certificate asked for, not required.
            if (configuration.DeviceHttpsPort > 0)
            {
                kestrel.Listen(System.Net.IPAddress.Parse(configuration.ListenAddress), configuration.DeviceHttpsPort,
                    listen => listen.UseHttps(ClientChainCapture.Options(certificateContext, kestrel.ApplicationServices.GetRequiredService<ChainAttestor>())));
            }
            // Each hub's identity registry for IoT Hub service clients (see Rest/Hubs/RegistryPortRewrite).
            foreach (var hub in configuration.Hubs.Where(h => h.RegistryPort > 0))
            {
                kestrel.Listen(System.Net.IPAddress.Parse(configuration.ListenAddress), hub.RegistryPort,
                    listen => listen.UseHttps(https => https.ServerCertificate = serverCertificate));
            }
            kestrel.ApplicationServices.GetRequiredService<EndpointListeners>().Bind(kestrel);
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(data);
        services.AddSingleton(configuration);
        services.AddSingleton<IProvisioningStore>(store);
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
        services.AddSingleton(limits ?? new ListenerLimits());
        // Hub devices: how they authenticate, and who serves their topics (first match wins; more handlers may be added).
        services.AddSingleton<X509ThumbprintAuthenticator>();
        services.AddSingleton<HubSasAuthenticator>();
        services.AddSingleton<IHubDeviceAuthenticator, RegistryCredentialAuthenticator>();
        services.AddSingleton<IHubTopicHandler>(sp => new TelemetryHandler(sp.GetRequiredService<IProvisioningStore>(), configuration.TelemetryPerDevice, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHubTopicHandler, TwinHandler>();
        services.AddSingleton<IHubTopicHandler, Issuance.IssueCertificateTopicHandler>();
        services.AddSingleton<EndpointListeners>();
        services.AddHostedService(sp => sp.GetRequiredService<EndpointListeners>());

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok(new { status = "serving" }));
        DeviceHttpsApi.Map(app);
        RestApi.Map(app);
        return app;
    }
}
