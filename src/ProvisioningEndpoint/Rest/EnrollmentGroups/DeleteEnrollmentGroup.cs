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
        await ApplyAsync(enrollmentGroupId, IfMatch.Read(request), store, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Deletes the group (the REST route and the operator console both come here).</summary>
    /// <exception cref="RestException">404; 412.</exception>
    public static async Task ApplyAsync(string enrollmentGroupId, IfMatch ifMatch, IProvisioningStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetEnrollmentGroupAsync(enrollmentGroupId, cancellationToken)
            ?? throw RestException.NotFound($"there is no enrollment group '{enrollmentGroupId}'");
        ifMatch.Check(current.Etag, $"enrollment group '{enrollmentGroupId}'");
        if (!await store.DeleteEnrollmentGroupAsync(enrollmentGroupId, ifMatch.ForStore, cancellationToken))
            throw RestException.NotFound($"there is no enrollment group '{enrollmentGroupId}'");
    }
}
