using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>The individual enrollments; creating one from a device certificate (PUT /enrollments/{id}'s rules).</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 256 * 1024)]
internal sealed class EnrollmentsModel(IProvisioningStore store, EndpointConfiguration configuration, TimeProvider clock, Issuance.IssuerStore issuers) : ConsolePageModel
{
    public IReadOnlyList<IndividualEnrollment> Enrollments { get; private set; } = [];

    [BindProperty]
    public string? RegistrationId { get; set; }

    [BindProperty]
    public string? CertificatePem { get; set; }

    [BindProperty]
    public IFormFile? CertificateFile { get; set; }

    [BindProperty]
    public bool StartDisabled { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Enrollments = await store.ListIndividualEnrollmentsAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var id = RegistrationId?.Trim() ?? "";
        return await ChangeAsync(async () =>
        {
            var text = await CertificateTextAsync(CertificatePem, CertificateFile, cancellationToken)
                ?? throw RestException.BadField("device certificate", "is empty: paste the device's PEM or choose its file");
            if (id.Length == 0)
            {
                using var certificate = CertificateText.Read(text, "device certificate");
                id = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            }
            var wire = new IndividualEnrollmentWire
            {
                RegistrationId = id,
                Attestation = new AttestationMechanismWire
                {
                    Type = "x509",
                    X509 = new X509AttestationWire { ClientCertificates = new X509CertificatesWire { Primary = new X509CertificateWithInfoWire { Certificate = text } } },
                },
                ProvisioningStatus = StartDisabled ? "disabled" : "enabled",
            };
            var enrollment = await PutIndividualEnrollment.ApplyAsync(id, wire, new IfMatch(false, null), store, configuration, clock, issuers, cancellationToken);
            return $"created individual enrollment '{enrollment.RegistrationId}' ({enrollment.Status.ToString().ToLowerInvariant()})";
        }, async () =>
        {
            await OnGetAsync(cancellationToken);
            return Page();
        }, "/console/enrollments");
    }
}
