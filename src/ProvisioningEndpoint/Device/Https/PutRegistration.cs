using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Registration;

namespace ProvisioningEndpoint.Device.Https;

/// <summary>
/// <c>PUT /{idScope}/registrations/{registrationId}/register?api-version=...</c>: the register
/// request (body <c>{"registrationId", "payload", "tpm"}</c>), answered 202 with an operation id,
/// 401 with a TPM challenge or a refusal, 400 for a malformed body.
/// </summary>
internal static class PutRegistration
{
    public static void Map(IEndpointRouteBuilder routes, string idScope, RegistrationService registrations, TimeProvider clock) =>
        routes.MapPut("/{idScope}/registrations/{registrationId}/register", async (HttpContext context, [FromRoute(Name = "idScope")] string requestedIdScope, string registrationId) =>
        {
            if (DeviceHttpsApi.CheckForm(context, idScope, requestedIdScope, clock) is { } refusal)
                return DpsHttpResults.From(refusal, context);
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            var credentials = new DeviceCredentials(ClientChainCapture.Of(context), context.Request.Headers.Authorization.ToString());
            var response = await registrations.RegisterAsync(registrationId, credentials, body.ToArray(), context.RequestAborted).ConfigureAwait(false);
            return DpsHttpResults.From(response, context);
        }).WithName("dps-device-register");
}
