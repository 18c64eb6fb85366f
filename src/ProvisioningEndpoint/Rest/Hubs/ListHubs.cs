using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary><c>GET /hubs</c> (local extension): the hubs of this endpoint, with how devices and registry clients reach them. 200.</summary>
internal static class ListHubs
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/hubs", Handle);

    private static IResult Handle([FromServices] EndpointConfiguration configuration) =>
        Results.Json(configuration.Hubs.Select(h => new HubWire
        {
            Name = h.Name,
            HostName = h.HostName,
            Port = h.Port,
            AssignedHub = h.AssignedHub,
            RegistryPort = h.RegistryPort > 0 ? h.RegistryPort : null,
        }).ToList(), RestJson.Context.ListHubWire);
}
