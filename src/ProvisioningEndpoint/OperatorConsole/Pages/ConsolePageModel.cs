using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>
/// What every console page shares: a change runs one domain operation (the same one the REST
/// route calls); success redirects with a notice (post/redirect/get), a refusal re-renders the
/// page with the domain's own message, which names what is wrong and what to do.
/// </summary>
internal abstract class ConsolePageModel : PageModel
{
    /// <summary>The notice of the last change, shown once.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Runs <paramref name="change"/>; redirects to <paramref name="after"/> (this page when null) or re-renders after <paramref name="reload"/>.</summary>
    protected async Task<IActionResult> ChangeAsync(Func<Task<string>> change, Func<Task<IActionResult>> reload, string? after = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(reload);
        try
        {
            Notice = await change();
            return after is null ? Redirect(Request.Path) : Redirect(after);
        }
        catch (RestException e)
        {
            ModelState.AddModelError(string.Empty, e.Message);
        }
        catch (StoreConflictException e)
        {
            ModelState.AddModelError(string.Empty, e.Message + "; reload the page and try again");
        }
        return await reload();
    }

    /// <summary>The certificate from a text field (PEM or base64) or an uploaded file (PEM or DER), as the domain reads it.</summary>
    protected static async Task<string?> CertificateTextAsync(string? text, IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is { Length: > 0 })
        {
            if (file.Length > 64 * 1024)
                throw RestException.BadField("certificate file", $"is {file.Length} bytes; a certificate is at most 64 KiB");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var bytes = buffer.ToArray();
            var asText = System.Text.Encoding.ASCII.GetString(bytes);
            return asText.Contains("-----BEGIN", StringComparison.Ordinal) ? asText : Convert.ToBase64String(bytes);
        }
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }
}
