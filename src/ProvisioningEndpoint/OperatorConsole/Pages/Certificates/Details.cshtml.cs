using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Certificates;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>One CA certificate and its verification flow (the REST routes' generateVerificationCode and verify, the same rules).</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 256 * 1024)]
internal sealed class CertificateDetailsModel(IProvisioningStore store, EndpointConfiguration configuration, TimeProvider clock, ILoggerFactory loggers)
    : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    public CaCertificateEntry? Entry { get; private set; }

    public CertificateFacts? Facts { get; private set; }

    public DateTimeOffset Now => clock.GetUtcNow();

    [BindProperty]
    public string? VerificationPem { get; set; }

    [BindProperty]
    public IFormFile? VerificationFile { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Entry = await store.GetCertificateAsync(Name, cancellationToken);
        if (Entry is null)
            return NotFound();
        Facts = CertificateFacts.Of(Entry.Certificate);
        return Page();
    }

    public Task<IActionResult> OnPostGenerateCodeAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        await GenerateVerificationCode.ApplyAsync(Name, new IfMatch(false, null), store, configuration, clock, cancellationToken);
        return $"a new verification code for '{Name}' is valid for {configuration.VerificationCodeLifetimeMinutes} minutes";
    }, () => OnGetAsync(cancellationToken));

    public Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var text = await CertificateTextAsync(VerificationPem, VerificationFile, cancellationToken)
            ?? throw RestException.BadField("verification certificate", "is empty: paste its PEM or choose its file");
        await VerifyCertificate.ApplyAsync(Name, new IfMatch(false, null), text, store, clock, loggers, cancellationToken);
        return $"CA certificate '{Name}' is verified: enrollment groups may now rely on it";
    }, () => OnGetAsync(cancellationToken));

    public Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        await DeleteCertificate.ApplyAsync(Name, new IfMatch(false, null), store, cancellationToken);
        return $"deleted CA certificate '{Name}'";
    }, () => OnGetAsync(cancellationToken), "/console/certificates");
}
