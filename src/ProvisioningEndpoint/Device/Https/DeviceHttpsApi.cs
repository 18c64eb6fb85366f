using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Device.Https;

/// <summary>
/// DPS's HTTPS device API (api-version 2019-03-31 and later), served on its own port beside the
/// MQTT device endpoint: <see cref="PutRegistration"/> and <see cref="GetOperationStatus"/>. Same
/// registration service, same bodies and status codes as over MQTT; an X.509 device authenticates
/// by its TLS client certificate, a TPM device by the activation challenge and a SAS token.
/// </summary>
public static class DeviceHttpsApi
{
    /// <summary>Maps the routes onto the device port of <paramref name="app"/>.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var configuration = app.Services.GetRequiredService<EndpointConfiguration>();
        var registrations = app.Services.GetRequiredService<RegistrationService>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        if (configuration.DeviceHttpsPort <= 0)
            return;
        var device = app.MapGroup("").RequireHost($"*:{configuration.DeviceHttpsPort}");
        PutRegistration.Map(device, configuration.IdScope, registrations, clock);
        GetOperationStatus.Map(device, configuration.IdScope, registrations, clock);
    }

    /// <summary>The refusal of a request outside DPS's form (wrong ID scope, no api-version); null when it is in form.</summary>
    internal static DpsResponse? CheckForm(HttpContext context, string idScope, string requestedIdScope, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (string.IsNullOrEmpty(context.Request.Query["api-version"]))
            return DpsResponse.Error(DpsErrorCodes.BadRequest, "the request has no api-version query parameter (DPS's device API: ?api-version=2019-03-31)", now);
        if (!string.Equals(requestedIdScope, idScope, StringComparison.Ordinal))
            return DpsResponse.Error(DpsErrorCodes.Unauthorized, $"unknown ID scope '{requestedIdScope}'", now);
        return null;
    }
}
