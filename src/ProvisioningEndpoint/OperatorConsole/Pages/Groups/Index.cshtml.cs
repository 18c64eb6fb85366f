using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.EnrollmentGroups;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>The enrollment groups; creating one from a certificate (PUT /enrollmentGroups/{id}'s rules: it must be, or roll up to, a verified CA).</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 256 * 1024)]
internal sealed class GroupsModel(IProvisioningStore store, EndpointConfiguration configuration, TimeProvider clock, Issuance.IssuerStore issuers) : ConsolePageModel
{
    public IReadOnlyList<(EnrollmentGroup Group, CertificateFacts Facts)> Groups { get; private set; } = [];

    public IReadOnlyList<(CaCertificateEntry Entry, CertificateFacts Facts)> Certificates { get; private set; } = [];

    [BindProperty]
    public string GroupId { get; set; } = "";

    [BindProperty]
    public string? CaName { get; set; }

    [BindProperty]
    public string? SigningPem { get; set; }

    [BindProperty]
    public IFormFile? SigningFile { get; set; }

    [BindProperty]
    public bool StartDisabled { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Groups = [.. (await store.ListEnrollmentGroupsAsync(cancellationToken)).Select(g => (g, CertificateFacts.Of(g.SigningCertificate)))];
        Certificates = [.. (await store.ListCertificatesAsync(cancellationToken)).OrderByDescending(c => c.IsVerified).Select(c => (c, CertificateFacts.Of(c.Certificate)))];
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var signing = await CertificateTextAsync(SigningPem, SigningFile, cancellationToken);
        var x509 = (string.IsNullOrEmpty(CaName), signing) switch
        {
            (false, null) => new X509AttestationWire { CaReferences = new X509CaReferencesWire { Primary = CaName } },
            (true, not null) => new X509AttestationWire { SigningCertificates = new X509CertificatesWire { Primary = new X509CertificateWithInfoWire { Certificate = signing } } },
            (false, not null) => throw RestException.BadField("certificate", "is given twice: choose an uploaded CA certificate or give a signing certificate, not both"),
            (true, null) => throw RestException.BadField("certificate", "is missing: choose an uploaded CA certificate or give a signing certificate"),
        };
        var wire = new EnrollmentGroupWire
        {
            EnrollmentGroupId = GroupId.Trim(),
            Attestation = new AttestationMechanismWire { Type = "x509", X509 = x509 },
            ProvisioningStatus = StartDisabled ? "disabled" : "enabled",
        };
        var group = await PutEnrollmentGroup.ApplyAsync(GroupId.Trim(), wire, new IfMatch(false, null), store, configuration, clock, issuers, cancellationToken);
        return $"created enrollment group '{group.EnrollmentGroupId}' ({group.Status.ToString().ToLowerInvariant()})";
    }, async () =>
    {
        await OnGetAsync(cancellationToken);
        return Page();
    }, "/console/groups/" + Uri.EscapeDataString(GroupId.Trim()));
}
