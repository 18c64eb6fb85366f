using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.EnrollmentGroups;

/// <summary>
/// <c>PUT /enrollmentGroups/{enrollmentGroupId}</c>: creates (no If-Match) or replaces (If-Match:
/// etag or *) an enrollment group bound to a signing certificate (<c>x509.signingCertificates</c>)
/// or an uploaded CA certificate (<c>x509.caReferences</c>). The certificate must be verified or
/// roll up to a verified one (<see cref="SigningCertificateRule"/>). 200 with the group; 400 naming
/// the field or the unverified certificate; 409 when it exists without If-Match or another group
/// has the certificate; 412 when If-Match is stale.
/// </summary>
internal static class PutEnrollmentGroup
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPut("/enrollmentGroups/{enrollmentGroupId}", HandleAsync);

    private static async Task<IResult> HandleAsync(string enrollmentGroupId, HttpRequest request, [FromServices] IProvisioningStore store,
        [FromServices] EndpointConfiguration configuration, [FromServices] TimeProvider clock, [FromServices] Issuance.IssuerStore issuers, CancellationToken cancellationToken)
    {
        EnrollmentFields.CheckId(enrollmentGroupId, "enrollmentGroupId");
        var ifMatch = IfMatch.Read(request);
        var wire = await RequestBody.ReadAsync(request, RestJson.Context.EnrollmentGroupWire, "an enrollment group", cancellationToken);
        var group = await ApplyAsync(enrollmentGroupId, wire, ifMatch, store, configuration, clock, issuers, cancellationToken);
        return Results.Json(EnrollmentGroupMapping.ToWire(group, configuration.Hubs), RestJson.Context.EnrollmentGroupWire);
    }

    /// <summary>Creates or replaces the group under DPS's rules (the REST route and the operator console both come here).</summary>
    /// <exception cref="RestException">400 naming the field or the unverified certificate; 409; 412.</exception>
    public static async Task<Model.EnrollmentGroup> ApplyAsync(string enrollmentGroupId, EnrollmentGroupWire wire, IfMatch ifMatch, IProvisioningStore store,
        EndpointConfiguration configuration, TimeProvider clock, Issuance.IssuerStore issuers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(configuration);
        EnrollmentFields.CheckId(enrollmentGroupId, "enrollmentGroupId");
        var current = await store.GetEnrollmentGroupAsync(enrollmentGroupId, cancellationToken);
        ifMatch.CheckPut(current?.Etag, $"enrollment group '{enrollmentGroupId}'");
        EnrollmentFields.CheckBodyId(wire.EnrollmentGroupId, enrollmentGroupId, "enrollmentGroupId");

        var attestation = AttestationMapping.ReadGroup(wire.Attestation, current?.CaReference is null ? current?.SigningCertificate : null);
        var signing = attestation.Certificate
            ?? (await SigningCertificateRule.ResolveReferenceAsync(attestation.CaReference!, store, cancellationToken)).Certificate;
        if (current is null || !current.SigningCertificate.AsSpan().SequenceEqual(signing))
            await SigningCertificateRule.CheckAsync(signing, store, cancellationToken);
        var group = EnrollmentGroupMapping.FromWire(enrollmentGroupId, wire, current, signing, attestation.CaReference, configuration.Hubs, clock.GetUtcNow(), issuers);
        var other = await store.FindEnrollmentGroupBySigningCertificateAsync(group.SigningThumbprint, cancellationToken);
        if (other is not null && other.EnrollmentGroupId != enrollmentGroupId)
        {
            throw RestException.Conflict(
                $"enrollment group '{other.EnrollmentGroupId}' is already bound to signing certificate {group.SigningThumbprint}; one group per certificate: change or delete that group");
        }
        await store.PutEnrollmentGroupAsync(group, ifMatch.ForStore, cancellationToken);
        return group;
    }
}
