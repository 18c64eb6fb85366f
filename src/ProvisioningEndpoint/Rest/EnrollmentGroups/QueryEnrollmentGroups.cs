using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.EnrollmentGroups;

/// <summary><c>POST /enrollmentGroups/query</c> with <c>{"query": "*"}</c>: every group, by id, in pages. 200; 400.</summary>
internal static class QueryEnrollmentGroups
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/enrollmentGroups/query", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext context, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        await QueryPages.ReadSpecificationAsync(context.Request, cancellationToken);
        var groups = await store.ListEnrollmentGroupsAsync(cancellationToken);
        var items = groups.Select(g => EnrollmentGroupMapping.ToWire(g, configuration.Hubs)).ToList();
        return QueryPages.Page(context, items, RestJson.Context.ListEnrollmentGroupWire, "EnrollmentGroup");
    }
}
