using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using ProvisioningEndpoint.OperatorConsole.Keys;
using ProvisioningEndpoint.OperatorConsole.Sessions;
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole;

/// <summary>
/// The operator console: server-rendered Razor Pages under <c>/console</c> on the REST API's port
/// (its TLS certificate), signed in with operator accounts (<see cref="ConsoleSessions"/>). Every
/// page but sign-in needs a session; every POST carries an antiforgery token (Razor Pages
/// validate it), whose cookie is <c>__Host-</c>, HttpOnly, Secure and SameSite=Strict. The pages
/// call the same domain operations as the REST routes. Its data-protection keys (which sign the
/// antiforgery tokens) live in the data directory's <c>console-keys</c>, or, on a store that
/// instances share (<see cref="ISharedSettings"/>), in that store (<see cref="SharedKeyRepository"/>).
/// </summary>
internal static class ConsoleSetup
{
    /// <summary>The authorization policy of the console's pages.</summary>
    public const string Policy = "console-operator";

    private const string SecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Registers the console's services.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="data">The data directory (its <c>console-keys</c> when <paramref name="shared"/> is null).</param>
    /// <param name="shared">The shared store's settings when instances share one, else null.</param>
    public static void AddServices(IServiceCollection services, EndpointDataDirectory data, ISharedSettings? shared)
    {
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/OperatorConsole/Pages";
            options.Conventions.AuthorizeFolder("/", Policy);
            options.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ConsoleSessionHandler>(ConsoleSessionHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(ConsoleSessionHandler.SchemeName).RequireAuthenticatedUser());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "__Host-console-csrf";
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.Path = "/";
            options.FormFieldName = "__csrf";
        });
        // The notice after a change (TempData) travels in a protected cookie of the same kind.
        services.Configure<CookieTempDataProviderOptions>(options =>
        {
            options.Cookie.Name = "__Host-console-notice";
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.Path = "/";
        });
        var protection = services.AddDataProtection().SetApplicationName("provisioning-endpoint-console");
        if (shared is null)
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(data.Path, "console-keys")));
        else
            services.Configure<KeyManagementOptions>(options => options.XmlRepository = new SharedKeyRepository(shared));
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<EntrySuccessor>();
    }

    /// <summary>Adds the console to the pipeline: after routing (the REST API's <c>UseRouting</c>), before the endpoints run.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(ConsolePaths.Root))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = SecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // What antiforgery sets on the pages that carry a token; set here for every console response.
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }
            await next(context).ConfigureAwait(false);
        });
        app.UseAuthorization();
        // Only on the REST API's port: not on the device HTTPS port nor on the hubs' registry ports.
        var restPort = $"*:{app.Services.GetRequiredService<EndpointConfiguration>().RestPort}";
        app.MapRazorPages().RequireHost(restPort);
        MapAsset(app, "console.css", "text/css; charset=utf-8", restPort);
        MapAsset(app, "tail.js", "text/javascript; charset=utf-8", restPort);
    }

    private static void MapAsset(WebApplication app, string name, string contentType, string host)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("console/" + name)
            ?? throw new InvalidOperationException($"the console asset '{name}' is not embedded in the endpoint; the build is broken");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        app.MapGet($"{ConsolePaths.Root}/assets/{name}", () => Results.Text(text, contentType)).RequireHost(host);
    }
}
