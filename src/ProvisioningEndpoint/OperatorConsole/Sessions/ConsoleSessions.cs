using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Sessions;

/// <summary>
/// Console sessions: a 256-bit random token in a <c>__Host-</c> cookie (HttpOnly, Secure,
/// SameSite=Strict, path /, so no subdomain or plain-HTTP page can set or read it); the store
/// keeps only its SHA-256, so a copy of the database signs nobody in. A session lasts
/// <see cref="Lifetime"/> from sign-in; signing out deletes it. Thread-safe.
/// </summary>
internal sealed class ConsoleSessions(IOperatorStore store, TimeProvider clock)
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "__Host-console-session";

    /// <summary>How long a session is accepted after sign-in.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>Starts a session for <paramref name="operatorName"/> and sets its cookie on the response.</summary>
    public async Task SignInAsync(HttpContext context, string operatorName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = RandomNumberGenerator.GetBytes(32);
        var now = clock.GetUtcNow();
        await store.AddSessionAsync(new OperatorSession(SHA256.HashData(token), operatorName, now, now + Lifetime), cancellationToken).ConfigureAwait(false);
        context.Response.Cookies.Append(CookieName, Convert.ToBase64String(token).TrimEnd('=').Replace('+', '-').Replace('/', '_'), CookieOptions(now + Lifetime));
    }

    /// <summary>The operator of the request's session, or null when it has none, or an unknown or expired one.</summary>
    public async Task<string?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (TokenHash(request) is not { } hash)
            return null;
        var session = await store.GetSessionAsync(hash, cancellationToken).ConfigureAwait(false);
        return session is not null && session.ExpiresUtc > clock.GetUtcNow() ? session.OperatorName : null;
    }

    /// <summary>Ends the request's session (if any) and clears its cookie.</summary>
    public async Task SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (TokenHash(context.Request) is { } hash)
            await store.DeleteSessionAsync(hash, cancellationToken).ConfigureAwait(false);
        context.Response.Cookies.Delete(CookieName, CookieOptions(null));
    }

    private static byte[]? TokenHash(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || value is not { Length: 43 })
            return null;
        var base64 = value.Replace('-', '+').Replace('_', '/') + "=";
        var token = new byte[32];
        return Convert.TryFromBase64String(base64, token, out var written) && written == 32 ? SHA256.HashData(token) : null;
    }

    private static CookieOptions CookieOptions(DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
