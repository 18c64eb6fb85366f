using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary><c>GET /certificates</c>: every CA certificate, by name, as <c>{"value": [...]}</c>. 200.</summary>
internal static class ListCertificates
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/certificates", HandleAsync);

    private static async Task<IResult> HandleAsync([FromServices] IProvisioningStore store, CancellationToken cancellationToken)
    {
        var entries = await store.ListCertificatesAsync(cancellationToken);
        var list = new CertificateListWire { Value = [.. entries.Select(e => CertificateMapping.ToWire(e))] };
        return Results.Json(list, RestJson.Context.CertificateListWire);
    }
}
