using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Rest.Auth;
using ProvisioningEndpoint.Rest.Certificates;
using ProvisioningEndpoint.Rest.EnrollmentGroups;
using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Hubs;
using ProvisioningEndpoint.Rest.Registrations;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Rest;

/// <summary>
/// The management REST API (HTTPS, shared access signatures as DPS and IoT Hub use them; see
/// Rest/README.md): the DPS service API (api-version 2021-10-01) for enrollments, groups and
/// registration states; CA certificates with proof of possession (ARM-like); and each hub's
/// identity registry (IoT Hub api-version 2021-04-12) under <c>/hubs/{hub}</c> and on the hub's own
/// registry port. Every route sits behind the error boundary and authentication filters.
/// </summary>
public static class RestApi
{
    /// <summary>Maps the routes and the registry-port rewrite onto the application (before it starts).</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var configuration = app.Services.GetRequiredService<EndpointConfiguration>();
        var data = app.Services.GetRequiredService<EndpointDataDirectory>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        // The rewrite must see requests before routing does.
        app.Use(RegistryPortRewrite.Middleware(configuration.Hubs));
        app.UseRouting();

        var authentication = new SasAuthenticationFilter(new SasPolicies(configuration, data.ReadOwnerKey()), clock, loggers.CreateLogger<SasAuthenticationFilter>());
        var provisioning = app.MapGroup("")
            .AddEndpointFilter(new RestErrorFilter(hubStyle: false, clock, loggers.CreateLogger<RestErrorFilter>()))
            .AddEndpointFilter(authentication);
        PutIndividualEnrollment.Map(provisioning);
        GetIndividualEnrollment.Map(provisioning);
        DeleteIndividualEnrollment.Map(provisioning);
        QueryIndividualEnrollments.Map(provisioning);
        PutEnrollmentGroup.Map(provisioning);
        GetEnrollmentGroup.Map(provisioning);
        DeleteEnrollmentGroup.Map(provisioning);
        QueryEnrollmentGroups.Map(provisioning);
        GetRegistration.Map(provisioning);
        DeleteRegistration.Map(provisioning);
        QueryGroupRegistrations.Map(provisioning);
        PutCertificate.Map(provisioning);
        GetCertificate.Map(provisioning);
        ListCertificates.Map(provisioning);
        DeleteCertificate.Map(provisioning);
        GenerateVerificationCode.Map(provisioning);
        VerifyCertificate.Map(provisioning);
        ListHubs.Map(provisioning);

        var hubs = app.MapGroup("")
            .AddEndpointFilter(new RestErrorFilter(hubStyle: true, clock, loggers.CreateLogger<RestErrorFilter>()))
            .AddEndpointFilter(authentication);
        ListHubDevices.Map(hubs);
        GetHubDevice.Map(hubs);
        PutHubDevice.Map(hubs);
        DeleteHubDevice.Map(hubs);
        GetTwin.Map(hubs);
        GetTelemetry.Map(hubs);

        app.MapFallback((HttpContext context) => ErrorResponses.Create(RestErrorCodes.NotFound,
            $"this endpoint serves no {context.Request.Method} {RegistryPortRewrite.OriginalPath(context)}; see the REST API's routes in its README",
            ErrorResponses.NewTrackingId(), clock.GetUtcNow(), RegistryPortRewrite.HubOf(context) is not null));
    }
}
