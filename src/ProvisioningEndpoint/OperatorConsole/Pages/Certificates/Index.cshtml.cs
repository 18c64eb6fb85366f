using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Certificates;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>The CA certificates: status, thumbprint, expiry; uploading one (PUT /certificates/{name}'s rules).</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 256 * 1024)]
internal sealed class CertificatesModel(IProvisioningStore store, TimeProvider clock) : ConsolePageModel
{
    public IReadOnlyList<(CaCertificateEntry Entry, CertificateFacts Facts)> Certificates { get; private set; } = [];

    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string? CertificatePem { get; set; }

    [BindProperty]
    public IFormFile? CertificateFile { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Certificates = [.. (await store.ListCertificatesAsync(cancellationToken)).Select(e => (e, CertificateFacts.Of(e.Certificate)))];

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var text = await CertificateTextAsync(CertificatePem, CertificateFile, cancellationToken)
            ?? throw RestException.BadField("certificate", "is empty: paste the CA certificate's PEM or choose its file");
        var entry = await PutCertificate.ApplyAsync(Name.Trim(), text, null, new IfMatch(false, null), store, clock, cancellationToken);
        return $"uploaded CA certificate '{entry.Name}' (unverified): generate a verification code on its page to prove possession";
    }, async () =>
    {
        await OnGetAsync(cancellationToken);
        return Page();
    }, "/console/certificates/" + Uri.EscapeDataString(Name.Trim()));
}
