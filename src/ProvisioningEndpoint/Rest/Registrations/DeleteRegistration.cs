using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Registrations;

/// <summary>
/// <c>DELETE /registrations/{registrationId}</c> (If-Match optional): forgets a device's
/// registration record; its enrollment and its hub device stay. 204; 404; 412.
/// </summary>
internal static class DeleteRegistration
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapDelete("/registrations/{registrationId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string registrationId, HttpRequest request, [FromServices] IProvisioningStore store,
        CancellationToken cancellationToken)
    {
        var ifMatch = IfMatch.Read(request);
        var current = await store.GetRegistrationAsync(registrationId, cancellationToken)
            ?? throw RestException.NotFound($"device '{registrationId}' has no registration record");
        ifMatch.Check(current.Etag, $"the registration record of '{registrationId}'");
        if (!await store.DeleteRegistrationAsync(registrationId, ifMatch.ForStore, cancellationToken))
            throw RestException.NotFound($"device '{registrationId}' has no registration record");
        return Results.NoContent();
    }
}
