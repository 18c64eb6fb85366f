using Microsoft.AspNetCore.Http;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary>
/// Hub addressing for IoT Hub clients. <c>azure-iothub</c> builds <c>https://{HostName}{path}</c>
/// from a connection string, with paths such as <c>/devices/{id}</c>: it cannot carry a path prefix,
/// and every hub of a local endpoint has the same host name. So each hub has its own registry
/// port, and a request that arrives there is served as <c>/hubs/{hub}{path}</c> of the REST API,
/// judged by that hub's policy. The REST port serves the same routes under <c>/hubs/{hub}</c>.
/// </summary>
internal static class RegistryPortRewrite
{
    private const string HubKey = "ProvisioningEndpoint.RegistryHub";
    private const string PathKey = "ProvisioningEndpoint.OriginalPath";

    /// <summary>Middleware: rewrites requests that arrived on a hub's registry port.</summary>
    public static Func<HttpContext, Func<Task>, Task> Middleware(IReadOnlyList<HubDefinition> hubs)
    {
        var byPort = hubs.Where(h => h.RegistryPort > 0).ToDictionary(h => h.RegistryPort);
        return (context, next) =>
        {
            if (byPort.TryGetValue(context.Connection.LocalPort, out var hub))
            {
                context.Items[HubKey] = hub;
                context.Items[PathKey] = context.Request.Path.Value ?? "/";
                context.Request.Path = new PathString("/hubs/" + Uri.EscapeDataString(hub.Name)).Add(context.Request.Path);
            }
            return next();
        };
    }

    /// <summary>The hub whose registry port the request arrived on, or null (REST port).</summary>
    public static HubDefinition? HubOf(HttpContext context) => context.Items.TryGetValue(HubKey, out var hub) ? hub as HubDefinition : null;

    /// <summary>The path the client sent (before any rewrite).</summary>
    public static string OriginalPath(HttpContext context) =>
        context.Items.TryGetValue(PathKey, out var path) && path is string p ? p : context.Request.Path.Value ?? "/";
}
