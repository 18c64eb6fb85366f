using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Enrollments;

/// <summary>
/// <c>GET /enrollments/{registrationId}</c>: the individual enrollment, with the device's registration
/// state when it registered through it. 200; 404.
/// </summary>
internal static class GetIndividualEnrollment
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/enrollments/{registrationId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string registrationId, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var enrollment = await store.GetIndividualEnrollmentAsync(registrationId, cancellationToken)
            ?? throw RestException.NotFound($"there is no individual enrollment '{registrationId}'");
        var record = await store.GetRegistrationAsync(registrationId, cancellationToken);
        var state = record is { EnrollmentKind: EnrollmentKind.Individual } ? RegistrationStates.ToWire(record, configuration.Hubs) : null;
        return Results.Json(IndividualEnrollmentMapping.ToWire(enrollment, state, configuration.Hubs), RestJson.Context.IndividualEnrollmentWire);
    }
}
