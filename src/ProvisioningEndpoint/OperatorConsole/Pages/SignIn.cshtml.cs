using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.OperatorConsole.Accounts;
using ProvisioningEndpoint.OperatorConsole.Sessions;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>
/// Sign-in: name and password against the operator's Argon2id hash. Unknown names cost the same
/// time as wrong passwords and get the same answer. The password is never echoed back.
/// </summary>
internal sealed partial class SignInModel(IOperatorStore operators, ConsoleSessions sessions, ILogger<SignInModel> logger) : PageModel
{
    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var password = Password;
        Password = "";
        ModelState.Remove(nameof(Password));
        if (password.Length is 0 or > OperatorPasswords.MaximumLength || Name.Length is 0 or > 64)
        {
            ModelState.AddModelError(string.Empty, "enter your operator name and password");
            return Page();
        }
        var account = await operators.GetOperatorAsync(Name, cancellationToken);
        var valid = false;
        if (account is null)
            await OperatorPasswords.SpendAsync(password, cancellationToken);
        else
            valid = await OperatorPasswords.VerifyAsync(password, account.PasswordHash, cancellationToken);
        if (!valid)
        {
            LogRefused(logger, Name, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?");
            ModelState.AddModelError(string.Empty, "the operator name or the password is wrong");
            return Page();
        }
        await sessions.SignInAsync(HttpContext, account!.Name, cancellationToken);
        LogSignedIn(logger, account.Name);
        return Redirect(ConsolePaths.LocalReturn(ReturnUrl));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "console: sign-in refused for operator name {Name} from {Address}")]
    private static partial void LogRefused(ILogger logger, string name, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "console: operator {Name} signed in")]
    private static partial void LogSignedIn(ILogger logger, string name);
}
