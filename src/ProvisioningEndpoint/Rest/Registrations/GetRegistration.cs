using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Registrations;

/// <summary>
/// <c>GET /registrations/{registrationId}</c>: the device's registration state (assigned, or why it
/// was refused). 200; 404.
/// </summary>
internal static class GetRegistration
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/registrations/{registrationId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string registrationId, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var record = await store.GetRegistrationAsync(registrationId, cancellationToken)
            ?? throw RestException.NotFound($"device '{registrationId}' has no registration record (it never registered, or the record was deleted)");
        return Results.Json(RegistrationStates.ToWire(record, configuration.Hubs), Wire.RestJson.Context.DeviceRegistrationState);
    }
}
