using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ProvisioningEndpoint.OperatorConsole.Sessions;

/// <summary>
/// The console's authentication scheme: the session cookie (<see cref="ConsoleSessions"/>) names
/// the operator; without a valid one a page redirects to the sign-in page, which returns there.
/// Used only by the console's authorization policy, so REST and device requests never run it.
/// </summary>
internal sealed class ConsoleSessionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder, ConsoleSessions sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "console-session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var name = await sessions.AuthenticateAsync(Request, Context.RequestAborted).ConfigureAwait(false);
        if (name is null)
            return AuthenticateResult.NoResult();
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var back = Request.PathBase + Request.Path + Request.QueryString;
        Response.Redirect(ConsolePaths.SignIn + "?returnUrl=" + Uri.EscapeDataString(back));
        return Task.CompletedTask;
    }
}
