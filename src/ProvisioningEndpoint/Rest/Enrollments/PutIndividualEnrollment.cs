using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Enrollments;

/// <summary>
/// <c>PUT /enrollments/{registrationId}</c>: creates (no If-Match) or replaces (If-Match: etag or *)
/// an individual enrollment. 200 with the enrollment; 400 naming the field; 409 when it exists and
/// If-Match is absent; 412 when If-Match is stale.
/// </summary>
internal static class PutIndividualEnrollment
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPut("/enrollments/{registrationId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string registrationId, HttpRequest request, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, [FromServices] TimeProvider clock, [FromServices] Issuance.IssuerStore issuers, CancellationToken cancellationToken)
    {
        EnrollmentFields.CheckRegistrationId(registrationId);
        var ifMatch = IfMatch.Read(request);
        var wire = await RequestBody.ReadAsync(request, RestJson.Context.IndividualEnrollmentWire, "an individual enrollment", cancellationToken);
        var enrollment = await ApplyAsync(registrationId, wire, ifMatch, store, configuration, clock, issuers, cancellationToken);
        return Results.Json(IndividualEnrollmentMapping.ToWire(enrollment, null, configuration.Hubs), RestJson.Context.IndividualEnrollmentWire);
    }

    /// <summary>Creates or replaces the enrollment (the REST route and the operator console both come here).</summary>
    /// <exception cref="RestException">400 naming the field; 409; 412.</exception>
    public static async Task<Model.IndividualEnrollment> ApplyAsync(string registrationId, IndividualEnrollmentWire wire, IfMatch ifMatch, IProvisioningStore store,
        EndpointConfiguration configuration, TimeProvider clock, Issuance.IssuerStore issuers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        EnrollmentFields.CheckRegistrationId(registrationId);
        var current = await store.GetIndividualEnrollmentAsync(registrationId, cancellationToken);
        ifMatch.CheckPut(current?.Etag, $"individual enrollment '{registrationId}'");
        var enrollment = IndividualEnrollmentMapping.FromWire(registrationId, wire, current, configuration.Hubs, clock.GetUtcNow(), issuers);
        await store.PutIndividualEnrollmentAsync(enrollment, ifMatch.ForStore, cancellationToken);
        return enrollment;
    }
}
