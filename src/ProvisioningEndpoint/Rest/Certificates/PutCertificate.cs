using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>
/// <c>PUT /certificates/{name}</c> with <c>{"properties": {"certificate": "PEM or base64"}}</c>: uploads a
/// CA certificate, Unverified. Replacing (If-Match: etag or *) with the same certificate keeps its
/// verification; with another one starts over. <c>isVerified: true</c> is refused: only proof of
/// possession verifies. 200 with the resource; 400; 409 when it exists without If-Match, or when
/// groups refer to it by name and the certificate would change; 412.
/// </summary>
internal static class PutCertificate
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPut("/certificates/{name}", HandleAsync);

    private static async Task<IResult> HandleAsync(string name, HttpRequest request, [FromServices] IProvisioningStore store,
        [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        CertificateNames.Check(name);
        var ifMatch = IfMatch.Read(request);
        var wire = await RequestBody.ReadAsync(request, RestJson.Context.CertificateResponseWire,
            "a certificate {\"properties\": {\"certificate\": \"PEM or base64\"}}", cancellationToken);
        var properties = wire.Properties ?? throw RestException.BadField("properties", "is required: {\"certificate\": \"PEM or base64\"}");
        var entry = await ApplyAsync(name, properties.Certificate, properties.IsVerified, ifMatch, store, clock, cancellationToken);
        return Results.Json(CertificateMapping.ToWire(entry), RestJson.Context.CertificateResponseWire);
    }

    /// <summary>Uploads (or replaces) the CA certificate (the REST route and the operator console both come here).</summary>
    /// <exception cref="RestException">400 naming the field; 409; 412.</exception>
    public static async Task<CaCertificateEntry> ApplyAsync(string name, string? certificateText, bool? isVerified, IfMatch ifMatch,
        IProvisioningStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        CertificateNames.Check(name);
        if (isVerified == true)
        {
            throw RestException.BadField("properties.isVerified",
                "is true; a certificate is verified only by proof of possession: upload it, POST .../generateVerificationCode, then POST .../verify");
        }
        using var certificate = CertificateText.ReadJudged(certificateText, "properties.certificate", deviceCertificate: false);
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: false })
        {
            throw RestException.BadField("properties.certificate",
                $"is {CertificateText.Describe(certificate)}, not a CA certificate (basic constraints cA is false, RFC 5280 4.2.1.9)");
        }

        var current = await store.GetCertificateAsync(name, cancellationToken);
        ifMatch.CheckPut(current?.Etag, $"certificate '{name}'");
        var now = clock.GetUtcNow();
        var same = current is not null && current.Certificate.AsSpan().SequenceEqual(certificate.RawData);
        if (current is not null && !same)
            await CertificateReferences.RefuseWhenReferencedAsync(name, store, "replace it with another certificate", cancellationToken);
        var entry = new CaCertificateEntry(name, certificate.RawData, same && current!.IsVerified, null, null, Etags.New(), current?.CreatedUtc ?? now, now);
        await store.PutCertificateAsync(entry, ifMatch.ForStore, cancellationToken);
        return entry;
    }
}
