using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary><c>GET /certificates/{name}</c>: the CA certificate resource (without its verification code). 200; 404.</summary>
internal static class GetCertificate
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/certificates/{name}", HandleAsync);

    private static async Task<IResult> HandleAsync(string name, [FromServices] IProvisioningStore store, CancellationToken cancellationToken)
    {
        var entry = await store.GetCertificateAsync(name, cancellationToken) ?? throw NotFound(name);
        return Results.Json(CertificateMapping.ToWire(entry), RestJson.Context.CertificateResponseWire);
    }

    /// <summary>The 404 of every certificate route.</summary>
    public static RestException NotFound(string name) =>
        RestException.NotFound($"there is no CA certificate '{name}'; upload it with PUT /certificates/{name}");
}
