using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>
/// <c>POST /certificates/{name}/generateVerificationCode</c> (If-Match optional): issues a new
/// verification code for the certificate, replacing any earlier one, valid for the configured
/// lifetime. The response is the resource with <c>properties.verificationCode</c> and
/// <c>properties.verificationCodeExpiry</c>, and the new etag that verify may name. 200; 404; 412.
/// </summary>
internal static class GenerateVerificationCode
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/certificates/{name}/generateVerificationCode", HandleAsync);

    private static async Task<IResult> HandleAsync(string name, HttpRequest request, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        var updated = await ApplyAsync(name, IfMatch.Read(request), store, configuration, clock, cancellationToken);
        return Results.Json(CertificateMapping.ToWire(updated, withCode: true), RestJson.Context.CertificateResponseWire);
    }

    /// <summary>Issues the code (the REST route and the operator console both come here).</summary>
    /// <exception cref="RestException">404; 412.</exception>
    public static async Task<CaCertificateEntry> ApplyAsync(string name, IfMatch ifMatch, IProvisioningStore store,
        EndpointConfiguration configuration, TimeProvider clock, CancellationToken cancellationToken)
    {
        var entry = await store.GetCertificateAsync(name, cancellationToken) ?? throw GetCertificate.NotFound(name);
        ifMatch.Check(entry.Etag, $"certificate '{name}'");
        var now = clock.GetUtcNow();
        var updated = entry with
        {
            VerificationCode = VerificationCodes.New(),
            VerificationCodeExpiresUtc = now.AddMinutes(configuration.VerificationCodeLifetimeMinutes),
            Etag = Etags.New(),
            UpdatedUtc = now,
        };
        await store.PutCertificateAsync(updated, entry.Etag, cancellationToken);
        return updated;
    }
}
