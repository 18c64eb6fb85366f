using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Hubs;

namespace ProvisioningEndpoint.Rest.Auth;

/// <summary>
/// Requires a valid shared access signature before a route runs (routes read their bodies
/// themselves, so an unauthenticated request never gets past this to a 400). A request that
/// arrived on a hub's registry port is judged by that hub's policy, every other request by the
/// provisioning service's. Refusals are 401 with the reason; the token itself is never logged.
/// </summary>
internal sealed partial class SasAuthenticationFilter(SasPolicies policies, TimeProvider clock, ILogger<SasAuthenticationFilter> logger) : IEndpointFilter
{
    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var policy = policies.For(http);
        string? problem;
        try
        {
            var token = SharedAccessSignature.Parse(http.Request.Headers.Authorization.ToString());
            problem = policy.Check(token, RegistryPortRewrite.OriginalPath(http), clock.GetUtcNow());
        }
        catch (FormatException e)
        {
            problem = e.Message;
        }
        if (problem is not null)
        {
            LogUnauthorized(http.Request.Method, http.Request.Path, problem);
            throw new RestException(RestErrorCodes.Unauthorized, problem);
        }
        return next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "REST {Method} {Path}: unauthorized: {Reason}")]
    private partial void LogUnauthorized(string method, PathString path, string reason);
}
