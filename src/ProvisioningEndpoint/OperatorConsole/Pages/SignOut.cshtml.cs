using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ProvisioningEndpoint.OperatorConsole.Sessions;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>Sign-out (a POST with the antiforgery token): the session is deleted from the store, not only its cookie.</summary>
internal sealed class SignOutModel(ConsoleSessions sessions) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sessions.SignOutAsync(HttpContext, cancellationToken);
        return Redirect(ConsolePaths.SignIn);
    }
}
