using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Registration;

namespace ProvisioningEndpoint.Device.Https;

/// <summary>
/// <c>GET /{idScope}/registrations/{registrationId}/operations/{operationId}?api-version=...</c>:
/// the operation's status (200, or 202 while assigning), by the device that registered (its
/// certificate, or its registration SAS for TPM devices); 404 for an operation not of that device.
/// </summary>
internal static class GetOperationStatus
{
    public static void Map(IEndpointRouteBuilder routes, string idScope, RegistrationService registrations, TimeProvider clock) =>
        routes.MapGet("/{idScope}/registrations/{registrationId}/operations/{operationId}",
            async (HttpContext context, [FromRoute(Name = "idScope")] string requestedIdScope, string registrationId, string operationId) =>
            {
                if (DeviceHttpsApi.CheckForm(context, idScope, requestedIdScope, clock) is { } refusal)
                    return DpsHttpResults.From(refusal, context);
                var credentials = new DeviceCredentials(ClientChainCapture.Of(context), context.Request.Headers.Authorization.ToString());
                var response = await registrations.PollAsync(registrationId, operationId, credentials, context.RequestAborted).ConfigureAwait(false);
                return DpsHttpResults.From(response, context);
            }).WithName("dps-device-operation-status");
}
