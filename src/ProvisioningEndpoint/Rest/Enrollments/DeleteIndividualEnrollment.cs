using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Enrollments;

/// <summary>
/// <c>DELETE /enrollments/{registrationId}</c> (If-Match optional): deletes an individual
/// enrollment. As DPS documents, the device may then enroll again through an enabled group of its
/// chain; <c>bringup</c> warns about that before it calls this. 204; 404; 412.
/// </summary>
internal static class DeleteIndividualEnrollment
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapDelete("/enrollments/{registrationId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string registrationId, HttpRequest request, [FromServices] IProvisioningStore store,
        CancellationToken cancellationToken)
    {
        await ApplyAsync(registrationId, IfMatch.Read(request), store, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Deletes the enrollment (the REST route and the operator console both come here).</summary>
    /// <exception cref="RestException">404; 412.</exception>
    public static async Task ApplyAsync(string registrationId, IfMatch ifMatch, IProvisioningStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetIndividualEnrollmentAsync(registrationId, cancellationToken)
            ?? throw RestException.NotFound($"there is no individual enrollment '{registrationId}'");
        ifMatch.Check(current.Etag, $"individual enrollment '{registrationId}'");
        if (!await store.DeleteIndividualEnrollmentAsync(registrationId, ifMatch.ForStore, cancellationToken))
            throw RestException.NotFound($"there is no individual enrollment '{registrationId}'");
    }
}
