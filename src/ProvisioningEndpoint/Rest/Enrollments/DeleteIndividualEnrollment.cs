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
        var ifMatch = IfMatch.Read(request);
        var current = await store.GetIndividualEnrollmentAsync(registrationId, cancellationToken)
            ?? throw RestException.NotFound($"there is no individual enrollment '{registrationId}'");
        ifMatch.Check(current.Etag, $"individual enrollment '{registrationId}'");
        if (!await store.DeleteIndividualEnrollmentAsync(registrationId, ifMatch.ForStore, cancellationToken))
            throw RestException.NotFound($"there is no individual enrollment '{registrationId}'");
        return Results.NoContent();
    }
}
