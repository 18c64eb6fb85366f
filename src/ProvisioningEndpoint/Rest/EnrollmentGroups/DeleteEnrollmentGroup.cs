using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.EnrollmentGroups;

/// <summary>
/// <c>DELETE /enrollmentGroups/{enrollmentGroupId}</c> (If-Match optional): deletes a group. As DPS
/// documents, its devices may then enroll through an enabled group higher up their chains;
/// <c>bringup</c> warns about that before it calls this. 204; 404; 412.
/// </summary>
internal static class DeleteEnrollmentGroup
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapDelete("/enrollmentGroups/{enrollmentGroupId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string enrollmentGroupId, HttpRequest request, [FromServices] IProvisioningStore store,
        CancellationToken cancellationToken)
    {
        var ifMatch = IfMatch.Read(request);
        var current = await store.GetEnrollmentGroupAsync(enrollmentGroupId, cancellationToken)
            ?? throw RestException.NotFound($"there is no enrollment group '{enrollmentGroupId}'");
        ifMatch.Check(current.Etag, $"enrollment group '{enrollmentGroupId}'");
        if (!await store.DeleteEnrollmentGroupAsync(enrollmentGroupId, ifMatch.ForStore, cancellationToken))
            throw RestException.NotFound($"there is no enrollment group '{enrollmentGroupId}'");
        return Results.NoContent();
    }
}
