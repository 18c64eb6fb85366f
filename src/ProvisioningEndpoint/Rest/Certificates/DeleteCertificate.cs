using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>
/// <c>DELETE /certificates/{name}</c> (If-Match optional): removes a CA certificate; devices whose
/// chains led only to it are refused from then on. 204; 404; 409 when groups refer to it by name; 412.
/// </summary>
internal static class DeleteCertificate
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapDelete("/certificates/{name}", HandleAsync);

    private static async Task<IResult> HandleAsync(string name, HttpRequest request, [FromServices] IProvisioningStore store, CancellationToken cancellationToken)
    {
        await ApplyAsync(name, IfMatch.Read(request), store, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Deletes the certificate unless groups refer to it (the REST route and the operator console both come here).</summary>
    /// <exception cref="RestException">404; 409 when groups refer to it; 412.</exception>
    public static async Task ApplyAsync(string name, IfMatch ifMatch, IProvisioningStore store, CancellationToken cancellationToken)
    {
        var entry = await store.GetCertificateAsync(name, cancellationToken) ?? throw GetCertificate.NotFound(name);
        ifMatch.Check(entry.Etag, $"certificate '{name}'");
        await CertificateReferences.RefuseWhenReferencedAsync(name, store, "delete it", cancellationToken);
        if (!await store.DeleteCertificateAsync(name, ifMatch.ForStore, cancellationToken))
            throw GetCertificate.NotFound(name);
    }
}
