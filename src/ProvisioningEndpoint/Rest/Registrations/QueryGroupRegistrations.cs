using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Registrations;

/// <summary>
/// <c>POST /registrations/{enrollmentGroupId}/query</c> with <c>{"query": "*"}</c>: the registration
/// states of the devices a group decided (assigned, with the hub each went to, or refused while
/// it was disabled), in pages. Records outlive a deleted group. 200; 400; 404 when neither the
/// group nor any record of it exists.
/// </summary>
internal static class QueryGroupRegistrations
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/registrations/{enrollmentGroupId}/query", HandleAsync);

    private static async Task<IResult> HandleAsync(string enrollmentGroupId, HttpContext context, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        await QueryPages.ReadSpecificationAsync(context.Request, cancellationToken);
        var records = await store.ListRegistrationsByEnrollmentGroupAsync(enrollmentGroupId, cancellationToken);
        if (records.Count == 0 && await store.GetEnrollmentGroupAsync(enrollmentGroupId, cancellationToken) is null)
            throw RestException.NotFound($"there is no enrollment group '{enrollmentGroupId}'");
        var items = records.OrderBy(r => r.RegistrationId, StringComparer.Ordinal).Select(r => RegistrationStates.ToWire(r, configuration.Hubs)).ToList();
        return QueryPages.Page(context, items, RestJson.Context.ListDeviceRegistrationState, "DeviceRegistration");
    }
}
