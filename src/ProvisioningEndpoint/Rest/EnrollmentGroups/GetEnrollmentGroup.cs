using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.EnrollmentGroups;

/// <summary><c>GET /enrollmentGroups/{enrollmentGroupId}</c>: the group. 200; 404.</summary>
internal static class GetEnrollmentGroup
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/enrollmentGroups/{enrollmentGroupId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string enrollmentGroupId, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        var group = await store.GetEnrollmentGroupAsync(enrollmentGroupId, cancellationToken)
            ?? throw RestException.NotFound($"there is no enrollment group '{enrollmentGroupId}'");
        return Results.Json(EnrollmentGroupMapping.ToWire(group, configuration.Hubs), RestJson.Context.EnrollmentGroupWire);
    }
}
