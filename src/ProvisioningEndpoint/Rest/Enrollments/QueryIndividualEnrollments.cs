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
/// <c>POST /enrollments/query</c> with <c>{"query": "*"}</c>: every individual enrollment, by
/// registration id, in pages (<c>x-ms-max-item-count</c>, <c>x-ms-continuation</c>). 200; 400.
/// </summary>
internal static class QueryIndividualEnrollments
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/enrollments/query", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext context, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        await QueryPages.ReadSpecificationAsync(context.Request, cancellationToken);
        var enrollments = await store.ListIndividualEnrollmentsAsync(cancellationToken);
        var items = enrollments.Select(e => IndividualEnrollmentMapping.ToWire(e, null, configuration.Hubs)).ToList();
        return QueryPages.Page(context, items, RestJson.Context.ListIndividualEnrollmentWire, "Enrollment");
    }
}
